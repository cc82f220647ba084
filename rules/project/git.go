package project

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// GitStatus is what git says about a file outside the compose files (an
// env file, a secret file): whether it is committed or staged (Tracked),
// whether .gitignore keeps it out (Ignored), or that no git work tree
// holds it (NoRepo: git says so, or no .git is above it). Unknown: a .git
// is above it but git could not say (it refuses the repository, it is not
// installed, or it failed); Why says which, as a note can print it.
type GitStatus struct {
	Tracked bool
	Ignored bool
	NoRepo  bool
	Unknown bool
	Why     string
}

// gitTimeout bounds each git command: a lint never hangs on a slow
// repository.
const gitTimeout = 10 * time.Second

// gitRoots caches the work-tree root of each directory that has one: it
// does not change while composure runs, and every project of a directory
// tree asks for it. "No repository" is not cached: a test or a user may
// run `git init` between two loads.
var gitRoots sync.Map

// gitStatuses returns the git status of each absolute path. Paths are
// grouped by work tree so a project costs one `git ls-files` and one
// `git check-ignore` per repository, whatever its number of files.
func gitStatuses(ctx context.Context, paths []string) map[string]GitStatus {
	out := make(map[string]GitStatus, len(paths))
	if len(paths) == 0 {
		return out
	}
	if _, err := exec.LookPath("git"); err != nil {
		for _, p := range paths {
			out[p] = GitStatus{NoRepo: true}
			if dotGitAbove(filepath.Dir(p)) != "" {
				out[p] = GitStatus{Unknown: true, Why: "git is not installed"}
			}
		}
		return out
	}
	byRoot := map[string][]string{}
	var roots []string
	// One answer per folder: "no repository" is not cached across calls
	// (gitRoots), and a fix pass asks about hundreds of files in a few
	// folders, each a git process.
	type answer struct {
		root string
		st   GitStatus
	}
	perDir := map[string]answer{}
	for _, p := range paths {
		a, ok := perDir[filepath.Dir(p)]
		if !ok {
			a.root, a.st = gitRoot(ctx, filepath.Dir(p))
			perDir[filepath.Dir(p)] = a
		}
		root, st := a.root, a.st
		if root == "" {
			out[p] = st
			continue
		}
		rel, err := filepath.Rel(root, p)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			out[p] = GitStatus{NoRepo: true}
			continue
		}
		if _, ok := byRoot[root]; !ok {
			roots = append(roots, root)
		}
		byRoot[root] = append(byRoot[root], p)
	}
	for _, root := range roots {
		files := byRoot[root]
		rels := make([]string, len(files))
		for i, f := range files {
			rel, _ := filepath.Rel(root, f)
			rels[i] = filepath.ToSlash(rel)
		}
		tracked, err := gitList(ctx, root, nil, false, append([]string{"--literal-pathspecs", "ls-files", "-z", "--"}, rels...)...)
		var ignored map[string]bool
		if err == nil {
			stdin := []byte(strings.Join(rels, "\x00") + "\x00")
			ignored, err = gitList(ctx, root, stdin, true, "check-ignore", "-z", "--stdin")
		}
		for i, f := range files {
			if err != nil {
				out[f] = GitStatus{Unknown: true, Why: gitFailure(err)}
				continue
			}
			out[f] = GitStatus{Tracked: hasPathUnder(tracked, rels[i]), Ignored: ignored[rels[i]]}
		}
	}
	return out
}

// gitRoot is the top of the work tree that holds dir, or "" and the
// status of a dir git gives none for: NoRepo, or Unknown when a .git is
// above dir and git refuses it or fails. A directory that does not exist
// (a secret file's folder CI creates) is looked up from its nearest
// existing parent.
func gitRoot(ctx context.Context, dir string) (string, GitStatus) {
	for {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", GitStatus{NoRepo: true}
		}
		dir = parent
	}
	if v, ok := gitRoots.Load(dir); ok {
		return v.(string), GitStatus{}
	}
	out, err := runGit(ctx, dir, nil, "rev-parse", "--show-toplevel")
	if err != nil {
		if notARepository(err) || dotGitAbove(dir) == "" {
			return "", GitStatus{NoRepo: true}
		}
		return "", GitStatus{Unknown: true, Why: gitFailure(err)}
	}
	top := strings.TrimSpace(string(out))
	if top == "" {
		return "", GitStatus{NoRepo: true} // a bare repository, or inside .git
	}
	// git prints the real path; keep the caller's spelling of it
	// (symlinked temp directories) when both name one directory.
	root := filepath.Clean(top)
	if !isUnder(dir, root) {
		root = sameRoot(dir, root)
	}
	gitRoots.Store(dir, root)
	return root, GitStatus{}
}

// sameRoot finds the ancestor of dir (as the caller spells it) that is
// the directory git named as the work-tree top, or returns top.
func sameRoot(dir, top string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if same, _ := sameDir(d, top); same {
			return d
		}
		if filepath.Dir(d) == d {
			return top
		}
	}
}

func sameDir(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}

// hasPathUnder reports whether set holds rel or a file under it (git
// lists the files of a tracked directory, a secret given as a folder).
func hasPathUnder(set map[string]bool, rel string) bool {
	if set[rel] {
		return true
	}
	for p := range set {
		if strings.HasPrefix(p, rel+"/") {
			return true
		}
	}
	return false
}

func isUnder(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, dir+string(filepath.Separator))
}

// gitList runs a git command that prints NUL-separated paths and returns
// them as a set. okOnOne: exit status 1 means "none" (check-ignore).
func gitList(ctx context.Context, dir string, stdin []byte, okOnOne bool, args ...string) (map[string]bool, error) {
	out, err := runGit(ctx, dir, stdin, args...)
	var exit *exec.ExitError
	if err != nil && !(okOnOne && errors.As(err, &exit) && exit.ExitCode() == 1) {
		return nil, err
	}
	set := map[string]bool{}
	for _, p := range bytes.Split(out, []byte{0}) {
		if len(p) > 0 {
			set[string(p)] = true
		}
	}
	return set, nil
}

// runGit runs git in dir. The variables a git hook exports (GIT_DIR,
// GIT_WORK_TREE, GIT_INDEX_FILE) are dropped: they describe the hook's
// repository and would override -C. So are those that change what a path
// means (ls-files is told --literal-pathspecs itself).
func runGit(ctx context.Context, dir string, stdin []byte, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, gitTimeout)
	defer cancel()
	// core.fsmonitor names a command git runs when it reads the index
	// (ls-files, check-ignore): a .git/config in the tree being linted
	// must not make composure run it.
	cmd := exec.CommandContext(ctx, "git", append([]string{"-c", "core.fsmonitor=false", "-C", dir}, args...)...)
	for _, kv := range os.Environ() {
		switch name, _, _ := strings.Cut(kv, "="); name {
		case "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX",
			"GIT_LITERAL_PATHSPECS", "GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS", "GIT_ICASE_PATHSPECS":
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	cmd.Env = append(cmd.Env, "GIT_OPTIONAL_LOCKS=0", "LC_ALL=C")
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	return cmd.Output()
}

// GitignorePattern writes a relative path as a .gitignore pattern that
// matches exactly it: slashes, and a backslash before the characters
// .gitignore gives a meaning (globs, a leading # or !, trailing blanks).
func GitignorePattern(rel string) string {
	var b strings.Builder
	rel = filepath.ToSlash(rel)
	for i, c := range rel {
		switch {
		case strings.ContainsRune(`*?[]\`, c),
			i == 0 && (c == '#' || c == '!'),
			c == ' ' && strings.TrimRight(rel[i:], " ") == "":
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// gitIgnored lists what git ignores under dir, as absolute paths (a
// directory without its trailing slash): the untracked files and whole
// directories .gitignore, .git/info/exclude and the global excludes
// match. nil when dir is in no work tree, or git is missing or refuses
// it: discovery then searches everything, as before.
func gitIgnored(dir string) map[string]bool {
	out, err := runGit(context.Background(), dir, nil, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory", "--no-empty-directory")
	if err != nil {
		return nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil
	}
	ignored := map[string]bool{}
	for _, rel := range strings.Split(string(out), "\x00") {
		if rel = strings.TrimSuffix(rel, "/"); rel != "" {
			ignored[filepath.Join(abs, filepath.FromSlash(rel))] = true
		}
	}
	return ignored
}
