package project

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// Why this file exists: fixes append "/secrets/" or ".env" to the
// project's .gitignore. In a project below the repository's top, whose
// root .gitignore already says "secrets/", that created a nested
// .gitignore for nothing; a .gitignore with ".env*" got a ".env" line
// under it. A line is now added only where git does not already ignore
// what it names.

// AlreadyIgnored reports whether line, a line a fix would append to the
// .gitignore file gitignore ("/secrets/", "/a/b", ".env": a path in its
// folder, as GitignorePattern writes it), is needless: in a work tree, a
// .gitignore of the repository (this one, the root's, any between, as
// git reads them; not .git/info/exclude or the user's global excludes,
// which a clone does not have) already ignores the path; outside one, or
// when git cannot answer, a pattern of that very file matches it.
func AlreadyIgnored(ctx context.Context, gitignore, line string) bool {
	dir := filepath.Dir(gitignore)
	rel, dirOnly := patternPath(line)
	if rel == "" {
		return false
	}
	// A .gitignore that is not a regular file (a FIFO blocks whoever
	// reads it, git too) is not judged: the write refuses it.
	if st, err := os.Lstat(gitignore); err == nil && !st.Mode().IsRegular() {
		return false
	}
	query := rel
	if dirOnly {
		query += "/" // git matches "secrets/" only against a directory
	}
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		// No .git above: no git to ask (and no process to start, once per
		// line of every project of a corpus).
		if dotGitAbove(dir) == "" {
			content, _ := readRegular(gitignore)
			return sameFileIgnores(string(content), rel, dirOnly)
		}
		if root, _ := gitRoot(ctx, dir); root != "" {
			out, err := runGit(ctx, dir, nil, "check-ignore", "--no-index", "-v", "--", query)
			var exit *exec.ExitError
			switch {
			case err == nil:
				return ignoredByGitignore(string(out))
			case errors.As(err, &exit) && exit.ExitCode() == 1:
				return false // git answered: not ignored
			}
		}
	}
	content, _ := readRegular(gitignore)
	return sameFileIgnores(string(content), rel, dirOnly)
}

// patternPath turns a line the fixes write back into the path it names,
// relative to its .gitignore, and whether it names a directory.
func patternPath(line string) (rel string, dirOnly bool) {
	line = strings.TrimSpace(line)
	if line == "" || line[0] == '#' || line[0] == '!' {
		return "", false
	}
	dirOnly = strings.HasSuffix(line, "/")
	line = strings.Trim(line, "/")
	var b strings.Builder
	for i := 0; i < len(line); i++ {
		if line[i] == '\\' && i+1 < len(line) {
			i++
		} else if strings.ContainsRune("*?[", rune(line[i])) {
			return "", false // a glob names no one path
		}
		b.WriteByte(line[i])
	}
	return b.String(), dirOnly
}

// ignoredByGitignore reads `git check-ignore -v` output
// ("source:line:pattern<TAB>path"): ignored by a .gitignore of the
// repository, not by a negation (which -v shows too) or by a file that is
// not shared with the repository (an absolute source: the global
// excludes; .git/info/exclude).
func ignoredByGitignore(out string) bool {
	src, rest, ok := strings.Cut(strings.TrimSpace(out), ":")
	if !ok || filepath.IsAbs(src) || path.Base(src) != ".gitignore" {
		return false
	}
	_, rest, _ = strings.Cut(rest, ":")
	pattern, _, _ := strings.Cut(rest, "\t")
	return pattern != "" && pattern[0] != '!'
}

// sameFileIgnores matches rel against the patterns of one .gitignore,
// for a project outside any work tree, as git reads them: a pattern with
// a slash before its end is anchored to the file's folder, one without
// matches a name at any depth; a trailing slash matches directories only
// (rel when dirOnly, or a folder rel is in). A file with a negation is
// not judged (a line too many is harmless; a line missing is a committed
// secret).
func sameFileIgnores(content, rel string, dirOnly bool) bool {
	if strings.Contains(content, "\n!") || strings.HasPrefix(content, "!") {
		return false
	}
	parts := strings.Split(rel, "/")
	for _, l := range strings.Split(content, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || l[0] == '#' {
			continue
		}
		p, pDir := strings.TrimSuffix(l, "/"), strings.HasSuffix(l, "/")
		anchored := strings.Contains(p, "/")
		p = strings.TrimPrefix(p, "/")
		// Each prefix of rel is a folder, but the whole of it only when
		// the fix names a folder.
		for i := 1; i <= len(parts); i++ {
			isDir := i < len(parts) || dirOnly
			if pDir && !isDir {
				continue
			}
			var m bool
			if anchored {
				m, _ = path.Match(p, strings.Join(parts[:i], "/"))
			} else {
				m, _ = path.Match(p, parts[i-1])
			}
			if m {
				return true
			}
		}
	}
	return false
}
