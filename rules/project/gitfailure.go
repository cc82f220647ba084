package project

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Why this file exists: a git that refuses a repository (its "dubious
// ownership" check, common in containers and CI runners where the checkout
// belongs to another uid) or is not installed was taken for "no
// repository", so a fix moved a secret into a .env git tracks and lint
// dropped secret-file-tracked without a word. git's answer is read
// instead: "not a git repository" is no repository, anything else where a
// .git is above is a status nobody knows.

// notARepository reports whether git failed because no repository holds
// the directory.
func notARepository(err error) bool {
	var exit *exec.ExitError
	return errors.As(err, &exit) && strings.Contains(string(exit.Stderr), "not a git repository")
}

// gitFailure says in a few words why git could not tell a file's status.
func gitFailure(err error) string {
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		if errors.Is(err, exec.ErrNotFound) {
			return "git is not installed"
		}
		return "git could not be run (" + oneLine(err.Error()) + ")"
	}
	msg := string(exit.Stderr)
	if strings.Contains(msg, "dubious ownership") {
		return "git refuses the repository, which another user owns (its safe.directory check)"
	}
	return "git failed (" + oneLine(strings.TrimPrefix(strings.TrimSpace(msg), "fatal: ")) + ")"
}

// oneLine is the first line of msg, cut to a length a note can show, with
// control characters dropped.
func oneLine(msg string) string {
	msg, _, _ = strings.Cut(msg, "\n")
	msg = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, msg)
	if len(msg) > 120 {
		msg = msg[:120] + "..."
	}
	if msg == "" {
		return "no message"
	}
	return msg
}

// dotGitAbove returns the nearest directory from dir upwards that has a
// .git (a directory, or a file for a worktree or submodule), or "".
func dotGitAbove(dir string) string {
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// noteGitUnknown says, once per repository whatever the number of files
// and projects (the note names the work tree, and lint prints equal notes
// once), that git could not tell whether abs and its like are tracked.
func (p *projectLoader) noteGitUnknown(abs, why string) {
	root := dotGitAbove(filepath.Dir(abs))
	if root == "" {
		root = p.Dir
	}
	msg := why + ", so whether env and secret files are committed is unknown: they were not checked for it (secret-file-tracked), and fix moves no secret into a file git might track"
	if strings.Contains(why, "safe.directory") {
		msg += "; if the checkout is yours, `git config --global --add safe.directory " + root + "` lets git answer"
	}
	p.addNote(Note{File: p.displayPath(root), Msg: msg, Unchecked: true, Git: true})
}
