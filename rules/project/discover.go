package project

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Spec names the files of one compose project, merged in order, and the
// directory relative paths in them resolve from.
type Spec struct {
	Files []string
	Dir   string
	// Overlay: the last file runs on top of the others (docker compose -f
	// base -f overlay), found beside its base by discovery.
	Overlay bool
	// ComposeFile: the files are the ones COMPOSE_FILE names.
	ComposeFile bool
	// Via is the file named on the command line that this project pulls
	// in through include or extends, when it was named alone.
	Via string
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
	return DiscoverWith(paths, DiscoverOptions{})
}

// DiscoverOptions are the choices of a discovery beyond its paths.
type DiscoverOptions struct {
	// Exclude reports whether a path (a file, or a folder with a trailing
	// slash) is never searched: the config's exclude globs. It applies to
	// files named on the command line too, so a pre-commit hook that
	// passes an excluded file skips it.
	Exclude func(path string) bool
	// Skipped hears of each path passed over, with why (lint -v).
	Skipped func(path, why string)
	// Contents, when set, gets the bytes of each compose file discovery
	// read whole, by absolute path, for Options.Preread: a lint that
	// follows at once need not read them again.
	Contents map[string][]byte
}

// keep records the content sniff read of a compose file.
func (o DiscoverOptions) keep(path string, shape fileShape) {
	if o.Contents == nil || shape.content == nil {
		return
	}
	if abs, err := filepath.Abs(path); err == nil {
		o.Contents[abs] = shape.content
	}
}

// DiscoverWith is Discover with options.
func DiscoverWith(paths []string, o DiscoverOptions) ([]Spec, []error) {
	skipped := func(path, why string) {
		if o.Skipped != nil {
			o.Skipped(path, why)
		}
	}
	excludedNote := func(path string, dir bool, note func(path, why string)) bool {
		if o.Exclude == nil {
			return false
		}
		if dir {
			path += string(filepath.Separator)
		}
		if o.Exclude(path) {
			note(path, "excluded by the config's exclude")
			return true
		}
		return false
	}
	excluded := func(path string, dir bool) bool { return excludedNote(path, dir, skipped) }
	if len(paths) == 0 {
		paths = []string{"."}
	}
	var (
		specs []Spec
		errs  []error
		seen  = map[string]bool{} // key: joined file list
		// named: the files named on the command line find the project
		// that pulls them in through one index per folder (usedby.go).
		named = &usedByIndex{}
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
			// A YAML file named on the command line (pre-commit passes
			// every staged one) that is not a compose file is skipped, as
			// a directory search skips it.
			if excluded(p, false) {
				continue
			}
			if shape, ok := isComposeFile(p); ok || !isYAMLName(p) {
				o.keep(p, shape)
				add(named.specForFile(p))
			} else {
				skipped(p, "not a compose file (no services: mapping of services)")
			}
			continue
		}
		dirs := map[string][]string{}
		shapes := map[string]fileShape{}
		// What git ignores (a virtualenv, a build output, a vendored
		// copy) is not the project's: never searched.
		ignored := gitIgnored(p)
		isIgnored := func(path string) bool {
			if len(ignored) == 0 {
				return false
			}
			abs, err := filepath.Abs(path)
			return err == nil && ignored[abs]
		}
		// Reading each file's start to tell compose from other YAML was
		// most of discovery's time, on one core before the first load:
		// the walk lists the files, they are sniffed in parallel, and what
		// the walk met is then taken in walk order (its notes included).
		var walked []walkedFile
		note := func(path, why string) {
			walked = append(walked, walkedFile{note: func() { skipped(path, why) }})
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, &Error{File: path, Msg: describeOSError(err)})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				// .composure-tmp-*: a fix run's temporary copies (transform/write)
				if path == p {
					return nil
				}
				if skipDirs[d.Name()] || strings.HasPrefix(d.Name(), ".composure-tmp-") {
					return fs.SkipDir
				}
				if isIgnored(path) {
					note(path+string(filepath.Separator), "ignored by git")
					return fs.SkipDir
				}
				if excludedNote(path, true, note) {
					return fs.SkipDir
				}
				return nil
			}
			if isIgnored(path) {
				if isYAMLName(path) {
					note(path, "ignored by git")
				}
				return nil
			}
			if isYAMLName(path) && excludedNote(path, false, note) {
				return nil
			}
			// WalkDir does not follow symlinks, so a symlink loop cannot
			// trap it; a symlinked file is linted like any other file.
			if !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
				return nil
			}
			walked = append(walked, walkedFile{path: path, name: d.Name(), regular: d.Type().IsRegular()})
			return nil
		})
		if err != nil {
			errs = append(errs, &Error{File: p, Msg: describeOSError(err)})
		}
		sniffAll(walked)
		var order []string
		for _, w := range walked {
			switch {
			case w.note != nil:
				w.note()
			case w.compose:
				o.keep(w.path, w.shape)
				w.shape.content = nil
				shapes[w.path] = w.shape
				dir := filepath.Dir(w.path)
				if _, ok := dirs[dir]; !ok {
					order = append(order, dir)
				}
				dirs[dir] = append(dirs[dir], w.name)
			case o.Skipped != nil && isYAMLName(w.path) && (IsComposeName(w.name) || hasServicesLine(w.path)):
				// named like one, or with a services: line (GitLab CI)
				skipped(w.path, "not a compose file (no services: mapping of services)")
			}
		}
		for _, dir := range order {
			for _, s := range specsInDir(dir, dirs[dir], shapes) {
				add(s)
			}
		}
	}
	return specs, errs
}

// walkedFile is a file the directory walk met (or, with note, a note it
// heard), in walk order; sniffAll fills in whether it is compose.
type walkedFile struct {
	path, name string
	regular    bool
	shape      fileShape
	compose    bool
	note       func()
}

// sniffAll tells, in GOMAXPROCS workers, which walked files are compose
// files (isComposeFile).
func sniffAll(walked []walkedFile) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(walked); i = int(next.Add(1) - 1) {
				if w := &walked[i]; w.note == nil {
					w.shape, w.compose = isComposeEntry(w.path, w.regular)
				}
			}
		}()
	}
	wg.Wait()
}

func isYAMLName(name string) bool {
	lower := strings.ToLower(name)
	return strings.HasSuffix(lower, ".yml") || strings.HasSuffix(lower, ".yaml")
}

// hasServicesLine is the cheap test before a YAML file not named like
// a compose file is parsed: a top-level `services:` line.
func hasServicesLine(path string) bool {
	if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
		return false
	}
	f, err := openRead(path)
	if err != nil {
		return false
	}
	defer f.Close()
	bp := sniffBufs.Get().(*[]byte)
	defer sniffBufs.Put(bp)
	buf := (*bp)[:sniffSize]
	n, _ := io.ReadFull(f, buf)
	for line := range bytes.Lines(buf[:n]) {
		if bytes.Equal(bytes.TrimRight(line, " \t\r\n"), []byte("services:")) {
			return true
		}
	}
	return false
}

// isComposeFile decides whether a YAML file found in a directory is a
// compose file: a *compose*.y(a)ml file (docker compose's own names
// included) is when it is shaped like one (a workflow named compose.yml
// is not); any other YAML file is when its top-level `services:` is a
// mapping of service mappings (a stack file), which a GitLab CI file's
// `services: [docker:dind]` is not.
func isComposeFile(path string) (fileShape, bool) {
	return isComposeEntry(path, false)
}

// isComposeEntry is isComposeFile of a file a directory walk found;
// regular says its directory entry is a regular file (sniffEntry).
func isComposeEntry(path string, regular bool) (fileShape, bool) {
	name := filepath.Base(path)
	switch {
	case IsComposeName(name):
		// One that cannot be read (a symlink loop, a FIFO, no
		// permission) is linted, for the loader to say what is wrong.
		shape, ok := sniffEntry(path, true, regular)
		return shape, !ok || shape.compose
	case isYAMLName(name) && hasServicesLine(path):
		shape, ok := sniffEntry(path, false, regular)
		return shape, ok && shape.services
	}
	return fileShape{}, false
}

// specsInDir groups the compose files of one directory into the projects
// docker compose runs: the main file with its override; each overlay (a
// file whose services only run on top of the main file's) merged onto the
// main file, as `docker compose -f compose.yaml -f compose.prod.yaml`
// runs it; every other file on its own.
func specsInDir(dir string, names []string, shapes map[string]fileShape) []Spec {
	sort.Strings(names)
	has := map[string]bool{}
	for _, n := range names {
		has[n] = true
	}
	used := map[string]bool{}
	var specs []Spec
	if files := composeFileEnv(dir); len(files) > 0 {
		// COMPOSE_FILE chooses the project's files instead of the
		// default names, as docker compose run in dir does.
		specs = append(specs, Spec{Files: files, Dir: dir, ComposeFile: true})
		for _, f := range files {
			if filepath.Dir(f) == filepath.Clean(dir) {
				used[filepath.Base(f)] = true
			}
		}
	} else if main := first(mainNames, has); main != "" {
		files := []string{filepath.Join(dir, main)}
		used[main] = true
		if ov := first(overrideNames, has); ov != "" {
			files = append(files, filepath.Join(dir, ov))
			used[ov] = true
		}
		specs = append(specs, Spec{Files: files, Dir: dir})
	}
	// Only a directory with a base has overlays; the test is taken once,
	// before the loop appends the standalone files to specs (testing
	// len(specs) in the loop parsed every file of a directory without a
	// base, to no end: 6% of a corpus lint's CPU).
	hasBase := len(specs) > 0
	var base fileShape
	if hasBase {
		base = parsedShape(shapes, specs[0].Files[0])
	}
	for _, n := range names {
		if used[n] {
			continue
		}
		path := filepath.Join(dir, n)
		if hasBase && isOverlay(parsedShape(shapes, path), base) {
			specs = append(specs, Spec{Files: []string{specs[0].Files[0], path}, Dir: dir, Overlay: true})
			continue
		}
		specs = append(specs, Spec{Files: []string{path}, Dir: dir})
	}
	return specs
}

// parsedShape is the shape discovery found for path, parsed now if the
// quick look skipped that: only files beside a base need their services.
func parsedShape(shapes map[string]fileShape, path string) fileShape {
	s := shapes[path]
	if s.unparsed {
		s, _ = sniff(path, false)
	}
	return s
}

// isOverlay reports whether a file only runs on top of base: it has
// services with neither image, build nor extends, and base defines each
// of them.
func isOverlay(f, base fileShape) bool {
	if len(f.bare) == 0 {
		return false
	}
	for _, s := range f.bare {
		if !contains(base.serviceNames, s) {
			return false
		}
	}
	return true
}

// specForFile returns the project a single named file belongs to: the
// directory's main file plus override when the file is one of those two,
// otherwise the file alone.
func (ix *usedByIndex) specForFile(path string) Spec {
	dir := filepath.Dir(path)
	base := filepath.Base(path)
	isMain, isOverride := contains(mainNames, base), contains(overrideNames, base)
	if !isMain && !isOverride {
		// An overlay named alone (a pre-commit run on compose.prod.yaml)
		// is linted on top of its base, as it runs.
		for _, n := range mainNames {
			main := filepath.Join(dir, n)
			if st, err := os.Stat(main); err != nil || st.IsDir() {
				continue
			}
			f, fok := sniff(path, false)
			b, bok := sniff(main, false)
			if fok && bok && isOverlay(f, b) {
				return Spec{Files: []string{main, path}, Dir: dir, Overlay: true}
			}
			break
		}
		// An extends source or an included file named alone is linted
		// through the project that pulls it in.
		if s, ok := ix.usedBy(path); ok {
			s.Via = path
			return s
		}
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
