package project

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiscoverKeepsContents: discovery hands over the compose files it
// read whole, and only those.
func TestDiscoverKeepsContents(t *testing.T) {
	big := "services:\n  web:\n    image: nginx\n    environment:\n" + strings.Repeat("      K: v\n", sniffSize/10+1)
	dir := writeTree(t, map[string]string{
		"compose.yaml":         "services:\n  web:\n    image: nginx\n",
		"big/compose.yaml":     big,
		"ci/.gitlab-ci.yml":    "services: [docker:dind]\n",
		"stack/app.stack.yaml": "services:\n  api:\n    image: api\n",
	})
	contents := map[string][]byte{}
	specs, errs := DiscoverWith([]string{dir}, DiscoverOptions{Contents: contents})
	if len(errs) > 0 || len(specs) != 3 {
		t.Fatalf("discovered %v, errors %v", specs, errs)
	}
	for _, name := range []string{"compose.yaml", "stack/app.stack.yaml"} {
		abs := filepath.Join(dir, name)
		if got, ok := contents[abs]; !ok || !bytes.HasPrefix(got, []byte("services:")) {
			t.Errorf("%s: kept %q (%v)", name, got, ok)
		}
	}
	for _, name := range []string{"big/compose.yaml", "ci/.gitlab-ci.yml"} {
		if _, ok := contents[filepath.Join(dir, name)]; ok {
			t.Errorf("%s kept: read in part, or not a compose file", name)
		}
	}
}

// TestLoadReadsPreread: the loader takes a file's preread content, and
// an overlay over it.
func TestLoadReadsPreread(t *testing.T) {
	dir := writeTree(t, map[string]string{"compose.yaml": "services:\n  web:\n    image: on-disk\n"})
	abs := filepath.Join(dir, "compose.yaml")
	spec := Spec{Files: []string{abs}, Dir: dir}
	image := func(opts Options) string {
		t.Helper()
		p, err := Load(context.Background(), spec, opts)
		if err != nil {
			t.Fatal(err)
		}
		return p.Model.Services["web"].Image
	}
	pre := map[string][]byte{abs: []byte("services:\n  web:\n    image: preread\n")}
	if got := image(Options{}); got != "on-disk" {
		t.Errorf("without preread: image %q", got)
	}
	if got := image(Options{Preread: pre}); got != "preread" {
		t.Errorf("with preread: image %q", got)
	}
	over := map[string][]byte{abs: []byte("services:\n  web:\n    image: overlay\n")}
	if got := image(Options{Preread: pre, Overlay: over}); got != "overlay" {
		t.Errorf("with overlay and preread: image %q", got)
	}
}
