// Package buildinfo says which composure this is: the version, commit and
// build date a release stamps with -ldflags -X, or, for any other build,
// what the Go toolchain recorded (the module version for `go install
// ...@vX`, vcs.revision and vcs.time for a build inside a git checkout).
package buildinfo

import (
	"fmt"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
)

// Set by releases (goreleaser's ldflags):
//
//	-X github.com/composure-dev/composure/cmd/buildinfo.version=v1.2.3
//	-X github.com/composure-dev/composure/cmd/buildinfo.commit=abc1234...
//	-X github.com/composure-dev/composure/cmd/buildinfo.date=2026-12-06T21:00:00Z
//
// Unexported so nothing in the program can change them at run time.
var (
	version = ""
	commit  = ""
	date    = ""
)

// Devel is the version of a build that knows no version: a local
// `go build` or `go run`, as the Go toolchain names it.
const Devel = "(devel)"

// Info is one build's identity.
type Info struct {
	Version   string // v1.2.3, a pseudo-version, or Devel
	Commit    string // full revision; "" when unknown
	Date      string // RFC 3339 build or commit time; "" when unknown
	Modified  bool   // built from a checkout with uncommitted changes
	GoVersion string // go1.26.8
	Platform  string // linux/amd64
}

// Get returns this binary's Info: the ldflags values where set, the build
// info for the rest.
func Get() Info {
	bi, _ := debug.ReadBuildInfo()
	return resolve(version, commit, date, bi)
}

// resolve merges the stamped values over what bi recorded; bi may be nil.
func resolve(ver, rev, when string, bi *debug.BuildInfo) Info {
	in := Info{GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi != nil {
		if v := bi.Main.Version; v != "" && v != Devel {
			in.Version = v
		}
		if bi.GoVersion != "" {
			in.GoVersion = bi.GoVersion
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				in.Commit = s.Value
			case "vcs.time":
				in.Date = s.Value
			case "vcs.modified":
				in.Modified = s.Value == "true"
			}
		}
	}
	if ver != "" {
		in.Version = ver
	}
	if rev != "" {
		in.Commit = rev
		in.Modified = false
	}
	if when != "" {
		in.Date = when
	}
	if in.Version == "" {
		in.Version = Devel
	}
	return in
}

// pseudo matches the tail of a Go pseudo-version (v0.0.0-20261206210000-
// abcdefabcdef, v1.2.4-0.2026..., v1.2.3-rc.1.0.2026...).
var pseudo = regexp.MustCompile(`[-.]\d{14}-[0-9a-f]{12}$`)

// semver is a release tag: v1.2.3 with an optional pre-release.
var semver = regexp.MustCompile(`^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`)

// Released reports whether Version is a release tag (v1.2.3, v1.2.3-rc.1),
// not a devel build, a pseudo-version or a +dirty build, whose rule pages
// are those on main.
func (in Info) Released() bool {
	return semver.MatchString(in.Version) && !pseudo.MatchString(in.Version)
}

// DocsRef is the git ref the rule pages of this build live at: its tag
// for a release, main otherwise.
func (in Info) DocsRef() string {
	if in.Released() {
		return in.Version
	}
	return "main"
}

// String is what `composure version` and `--version` print.
func (in Info) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "composure %s\n", in.Version)
	c := in.Commit
	if c == "" {
		c = "unknown"
	} else if in.Modified {
		c += " (modified)"
	}
	d := in.Date
	if d == "" {
		d = "unknown"
	}
	fmt.Fprintf(&b, "commit:   %s\n", c)
	fmt.Fprintf(&b, "built:    %s\n", d)
	fmt.Fprintf(&b, "go:       %s\n", in.GoVersion)
	fmt.Fprintf(&b, "platform: %s\n", in.Platform)
	return b.String()
}
