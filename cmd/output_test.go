package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOutputFile(t *testing.T) {
	dir := t.TempDir()
	t.Run("instead of stdout", func(t *testing.T) {
		path := filepath.Join(dir, "a", "b", "report.json")
		out, _, code := run(t, "lint", "--format", "json", "--output-file", path, "testdata/project")
		if code != ExitFindings || out != "" {
			t.Errorf("exit %d, stdout %q; want %d and nothing on stdout", code, out, ExitFindings)
		}
		data, err := os.ReadFile(path)
		var doc struct{ Findings []any }
		if err != nil || json.Unmarshal(data, &doc) != nil || len(doc.Findings) == 0 {
			t.Errorf("report file: %v, %q", err, data)
		}
	})
	t.Run("another format beside stdout", func(t *testing.T) {
		path := filepath.Join(dir, "composure.sarif")
		out, _, code := run(t, "lint", "--format", "github", "--output-format", "sarif", "-o", path, "testdata/project")
		if code != ExitFindings || !strings.HasPrefix(out, "::") {
			t.Errorf("exit %d, stdout %q; want %d and annotations", code, out, ExitFindings)
		}
		data, err := os.ReadFile(path)
		if err != nil || !strings.Contains(string(data), `"version": "2.1.0"`) {
			t.Errorf("SARIF file: %v, %.200q", err, data)
		}
	})
	for name, args := range map[string][]string{
		"format without file": {"--output-format", "json"},
		"unknown format":      {"--output-format", "yaml", "-o", filepath.Join(dir, "x")},
		"unwritable":          {"-o", filepath.Join(dir, "composure.sarif", "x")},
	} {
		t.Run(name, func(t *testing.T) {
			out, errOut, code := run(t, append(append([]string{"lint"}, args...), "testdata/project")...)
			if code != ExitIncomplete || out != "" || !strings.Contains(errOut, "output-") {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, nothing linted, the flag named", code, out, errOut, ExitIncomplete)
			}
		})
	}
}
