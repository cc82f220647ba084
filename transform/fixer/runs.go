package fixer

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// Why this file exists: a fix changes files that more than the linted
// project reads. The .env beside a compose file is read by every compose
// file of the directory that runs alone (docker-compose.yml and
// docker-compose.dev.yml side by side), by overlays and COMPOSE_FILE sets,
// and not at all by the `--env-file` runs the project documents. Each of
// those runs must get what it got before (effective.go); this file lists
// them.

// runSpec is one way a project is run: its files, and the env files that
// replace its .env (nil: the .env of its directory).
type runSpec struct {
	spec     project.Spec
	envFiles []string
	// how names the run as a user would type it, with where it is
	// documented, for the reason a fix is withheld.
	how string
}

func (rs runSpec) key() string {
	return strings.Join(rs.spec.Files, "\x00") + "\x01" + strings.Join(rs.envFiles, "\x00")
}

// command is the docker compose command line of the run.
func (rs runSpec) command() string {
	parts := []string{"docker compose"}
	for _, f := range rs.spec.Files {
		parts = append(parts, "-f", relTo(rs.spec.Dir, f))
	}
	for _, e := range rs.envFiles {
		parts = append(parts, "--env-file", relTo(rs.spec.Dir, e))
	}
	return strings.Join(parts, " ")
}

func relTo(dir, path string) string {
	if !filepath.IsAbs(path) {
		return path
	}
	if rel, err := filepath.Rel(absDir(dir), path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}

func absDir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	return abs
}

// runSet lists and caches, for one Run, the runs of each directory.
type runSet struct {
	envFiles []string // the user's --env-file, absolute
	dirs     map[string][]runSpec
}

func newRunSet(load project.Options) *runSet {
	rs := &runSet{dirs: map[string][]runSpec{}}
	for _, e := range load.EnvFiles {
		rs.envFiles = append(rs.envFiles, absDir(e))
	}
	return rs
}

// linted is the run of a linted project, as the user linted it.
func (s *runSet) linted(o lint.Outcome) runSpec {
	return runSpec{spec: absSpec(o.Spec), envFiles: s.envFiles, how: "the project as linted"}
}

// inDir lists the runs of the compose files in dir: each project the
// directory holds, with its .env, with the user's --env-file, and with
// every env file a `--env-file` in the directory's docs and scripts names.
func (s *runSet) inDir(dir string) []runSpec {
	if runs, ok := s.dirs[dir]; ok {
		return runs
	}
	base := cachedDirRuns(dir, func() []runSpec {
		var runs []runSpec
		documented := documentedEnvFiles(dir)
		for _, spec := range project.DirSpecs(dir) {
			spec = absSpec(spec)
			runs = append(runs, runSpec{spec: spec})
			for _, d := range documented {
				runs = append(runs, runSpec{spec: spec, envFiles: []string{d.path}, how: "documented in " + d.source})
			}
		}
		return runs
	})
	var runs []runSpec
	for _, rs := range base {
		runs = append(runs, rs)
		if len(rs.envFiles) == 0 && len(s.envFiles) > 0 {
			runs = append(runs, runSpec{spec: rs.spec, envFiles: s.envFiles})
		}
	}
	s.dirs[dir] = runs
	return runs
}

func absSpec(s project.Spec) project.Spec {
	out := s
	out.Dir = absDir(s.Dir)
	out.Files = make([]string, len(s.Files))
	for i, f := range s.Files {
		out.Files[i] = absDir(f)
	}
	return out
}

// documentedEnvFile is an env file a documented command passes with
// --env-file, and the file that documents it.
type documentedEnvFile struct {
	path   string
	source string
}

// envFileFlag matches `--env-file X` and `--env-file=X`; X with a
// variable in it is skipped (it is not known here).
var envFileFlag = regexp.MustCompile(`--env-file[= ]+["']?([^\s"'` + "`" + `;|&()$]+)`)

// docsMax bounds what is read of one documentation or script file.
const docsMax = 1 << 20

// documentedEnvFiles greps the directory's README, Makefile, scripts,
// package.json, justfile, Taskfile and GitHub workflows for the env files
// `docker compose --env-file` is run with. Only the ones that exist count:
// a run whose env file is missing fails before the fix as after it.
func documentedEnvFiles(dir string) []documentedEnvFile {
	var sources []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		n := e.Name()
		lower := strings.ToLower(n)
		if e.Type().IsRegular() && (strings.HasPrefix(lower, "readme") || lower == "makefile" || strings.HasSuffix(lower, ".sh") ||
			lower == "package.json" || lower == "justfile" || lower == ".justfile" || strings.HasPrefix(lower, "taskfile")) {
			sources = append(sources, filepath.Join(dir, n))
		}
	}
	workflows, _ := filepath.Glob(filepath.Join(dir, ".github", "workflows", "*.y*ml"))
	sources = append(sources, workflows...)
	var out []documentedEnvFile
	for _, src := range sources {
		b, err := readHead(src, docsMax)
		if err != nil || !strings.Contains(string(b), "--env-file") {
			continue
		}
		for _, m := range envFileFlag.FindAllStringSubmatch(string(b), -1) {
			p := m[1]
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			p = filepath.Clean(p)
			if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
				continue
			}
			if slices.ContainsFunc(out, func(d documentedEnvFile) bool { return d.path == p }) {
				continue
			}
			rel, _ := filepath.Rel(dir, src)
			out = append(out, documentedEnvFile{path: p, source: filepath.ToSlash(rel)})
		}
	}
	return out
}

func readHead(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, max)
	n, _ := io.ReadFull(f, buf)
	return buf[:n], nil
}
