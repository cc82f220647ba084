package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func settings(kv ...string) []debug.BuildSetting {
	var out []debug.BuildSetting
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
	}
	return out
}

func TestResolve(t *testing.T) {
	vcs := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/composure-dev/composure", Version: Devel},
		Settings:  settings("vcs.revision", "0123456789abcdef", "vcs.time", "2026-12-01T10:00:00Z", "vcs.modified", "true"),
	}
	installed := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/composure-dev/composure", Version: "v1.2.3"},
	}
	tests := []struct {
		name           string
		ver, rev, when string
		bi             *debug.BuildInfo
		want           Info
	}{
		{"nothing known", "", "", "", nil, Info{Version: Devel}},
		{"checkout build", "", "", "", vcs, Info{Version: Devel, Commit: "0123456789abcdef", Date: "2026-12-01T10:00:00Z", Modified: true, GoVersion: "go1.26.8"}},
		{"go install @v1.2.3", "", "", "", installed, Info{Version: "v1.2.3", GoVersion: "go1.26.8"}},
		{"release ldflags win", "v2.0.0", "fedcba", "2026-12-06T00:00:00Z", vcs, Info{Version: "v2.0.0", Commit: "fedcba", Date: "2026-12-06T00:00:00Z", GoVersion: "go1.26.8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := resolve(tt.ver, tt.rev, tt.when, tt.bi)
			got.Platform = ""
			if tt.want.GoVersion == "" {
				got.GoVersion = ""
			}
			if got != tt.want {
				t.Errorf("resolve = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestReleasedAndDocsRef(t *testing.T) {
	for v, want := range map[string]bool{
		"v1.2.3":                               true,
		"v0.1.0-rc.1":                          true,
		Devel:                                  false,
		"v0.0.0-20261206210000-abcdefabcdef":   false,
		"v1.2.4-0.20261206210000-abcdefabcdef": false,
		"v1.2.3+dirty":                         false,
		"1.2.3":                                false,
	} {
		in := Info{Version: v}
		if got := in.Released(); got != want {
			t.Errorf("Released(%q) = %v, want %v", v, got, want)
		}
		ref := "main"
		if want {
			ref = v
		}
		if got := in.DocsRef(); got != ref {
			t.Errorf("DocsRef(%q) = %q, want %q", v, got, ref)
		}
	}
}

func TestString(t *testing.T) {
	s := Info{Version: "v1.2.3", Commit: "abc", Modified: true, GoVersion: "go1.26.8", Platform: "linux/arm64"}.String()
	for _, want := range []string{"composure v1.2.3\n", "commit:   abc (modified)\n", "built:    unknown\n", "go:       go1.26.8\n", "platform: linux/arm64\n"} {
		if !strings.Contains(s, want) {
			t.Errorf("String() = %q, missing %q", s, want)
		}
	}
}
