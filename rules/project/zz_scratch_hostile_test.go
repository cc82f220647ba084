package project

import (
	"context"
	"os"
	"testing"
)

func TestScratchDeep(t *testing.T) {
	dir := os.Getenv("SCRATCH_DIR")
	if dir == "" {
		t.Skip()
	}
	_, err := Load(context.Background(), Spec{Files: []string{dir + "/compose.yaml"}, Dir: dir}, Options{Environ: []string{}})
	t.Log(err)
}
