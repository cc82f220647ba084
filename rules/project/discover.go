package project

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Spec names the files of one compose project, merged in order, and the
// directory relative paths in them resolve from.
type Spec struct {
	Files []string
	Dir   string
}

// mainNames and overrideNames are docker compose's auto-discovery names, in
// its order of preference (compose-go cli.DefaultFileNames).
var (
	mainNames     = []string{"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"}
	overrideNames = []string{"compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml"}
)

// skipDirs are never searched: they hold other people's code or VCS data.
var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true}

// IsComposeName reports whether a file name looks like a compose file:
// *compose*.yml or *compose*.yaml.
func IsComposeName(name string) bool {
	lower := strings.ToLower(name)
	if !strings.HasSuffix(lower, ".yml") && !strings.HasSuffix(lower, ".yaml") {
		return false
	}
	return strings.Contains(lower, "compose")
}

// RelToWorkingDir spells an absolute path inside the working directory
// relative to it, as reports name files (SPEC §3: "file is relative to
// the current directory"); other paths stay as given, since "../../x" is
// harder to read than the absolute path.
func RelToWorkingDir(p string) string {
	if !filepath.IsAbs(p) {
		return p
	}
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	rel, err := filepath.Rel(wd, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return p
	}
	return rel
}

// Discover turns command-line paths into projects. A directory is searched
// recursively: in each directory the preferred main file is merged with its
// override sibling, as docker compose does, and every other compose-named
// file is a project of its own. A file given on its own is linted with the
// project it belongs to, so a pre-commit run on compose.override.yaml still
// sees the merged model. Errors are per path; the other paths go on.
func Discover(paths []string) ([]Spec, []error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	var (
		specs []Spec
		errs  []error
		seen  = map[string]bool{} // key: joined file list
	)
	add := func(s Spec) {
		key := strings.Join(s.Files, "\x00")
		if !seen[key] {
			seen[key] = true
			specs = append(specs, s)
		}
	}
	for _, p := range paths {
		p = RelToWorkingDir(p)
		info, err := os.Stat(p)
		if err != nil {
			errs = append(errs, &Error{File: p, Msg: describeOSError(err)})
			continue
		}
		if !info.IsDir() {
			add(specForFile(p))
			continue
		}
		dirs := map[string][]string{}
		var order []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, &Error{File: path, Msg: describeOSError(err)})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if path != p && skipDirs[d.Name()] {
					return fs.SkipDir
				}
				return nil
			}
			// WalkDir does not follow symlinks, so a symlink loop cannot
			// trap it; a symlinked file is linted like any other file.
			if !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
				return nil
			}
			if IsComposeName(d.Name()) || (isYAMLName(d.Name()) && looksLikeCompose(path)) {
				dir := filepath.Dir(path)
				if _, ok := dirs[dir]; !ok {
					order = append(order, dir)
				}
				dirs[dir] = append(dirs[dir], d.Name())
			}
			return nil
		})
		if err != nil {
			errs = append(errs, &Error{File: p, Msg: describeOSError(err)})
		}
		for _, dir := range order {
			for _, s := range specsInDir(dir, dirs[dir]) {
				add(s)
			}
		}
	}
	return specs, errs
}

// specsInDir groups the compose-named files of one directory into projects.
func isYAMLName(name string) bool {
	lower := strings.ToLower(name)
	return strings.HasSuffix(lower, ".yml") || strings.HasSuffix(lower, ".yaml")
}

// sniffSize bounds how much of a YAML file is read to decide whether it is
// a compose file under another name (a swarm stack file, say).
const sniffSize = 64 << 10

// looksLikeCompose reports whether a YAML file not named like a compose
// file has a top-level `services:` key in its first bytes: stack files
// (docker-stack.yml) are compose files too, while CI configs and
// Kubernetes manifests are not.
func looksLikeCompose(path string) bool {
	// A symlink may lead to a FIFO, which would block the open.
	if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
		return false
	}
	f, err := openRead(path)
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, sniffSize)
	n, _ := io.ReadFull(f, buf)
	for _, line := range bytes.Split(buf[:n], []byte("\n")) {
		line = bytes.TrimRight(line, " \t\r")
		if bytes.Equal(line, []byte("services:")) {
			return true
		}
	}
	return false
}

func specsInDir(dir string, names []string) []Spec {
	sort.Strings(names)
	has := map[string]bool{}
	for _, n := range names {
		has[n] = true
	}
	used := map[string]bool{}
	var specs []Spec
	if main := first(mainNames, has); main != "" {
		files := []string{filepath.Join(dir, main)}
		used[main] = true
		if ov := first(overrideNames, has); ov != "" {
			files = append(files, filepath.Join(dir, ov))
			used[ov] = true
		}
		specs = append(specs, Spec{Files: files, Dir: dir})
	}
	for _, n := range names {
		if !used[n] {
			specs = append(specs, Spec{Files: []string{filepath.Join(dir, n)}, Dir: dir})
		}
	}
	return specs
}

// specForFile returns the project a single named file belongs to: the
// directory's main file plus override when the file is one of those two,
// otherwise the file alone.
func specForFile(path string) Spec {
	dir := filepath.Dir(path)
	base := filepath.Base(path)
	isMain, isOverride := contains(mainNames, base), contains(overrideNames, base)
	if !isMain && !isOverride {
		return Spec{Files: []string{path}, Dir: dir}
	}
	present := map[string]bool{}
	for _, n := range append(append([]string{}, mainNames...), overrideNames...) {
		if n == base {
			present[n] = true
			continue
		}
		if st, err := os.Stat(filepath.Join(dir, n)); err == nil && !st.IsDir() {
			present[n] = true
		}
	}
	main, ov := first(mainNames, present), first(overrideNames, present)
	switch {
	case isMain && base == main && ov != "":
		return Spec{Files: []string{path, filepath.Join(dir, ov)}, Dir: dir}
	case isOverride && base == ov && main != "":
		return Spec{Files: []string{filepath.Join(dir, main), path}, Dir: dir}
	}
	return Spec{Files: []string{path}, Dir: dir}
}

func first(names []string, has map[string]bool) string {
	for _, n := range names {
		if has[n] {
			return n
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// PartOf returns the absolute paths of the files that the given projects
// pull in through include or extends. A standalone project made of one of
// them is linted as part of the project that uses it, not on its own.
func PartOf(ps []*Project) map[string]bool {
	out := map[string]bool{}
	for _, p := range ps {
		for _, f := range p.Extra {
			out[f.Abs] = true
		}
	}
	return out
}

// Within reports whether the spec is a single file that parts names.
func (s Spec) Within(parts map[string]bool) bool {
	if len(s.Files) != 1 {
		return false
	}
	abs, err := filepath.Abs(s.Files[0])
	return err == nil && parts[abs]
}
