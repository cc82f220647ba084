package cmd

import (
	"io"
	"path/filepath"

	"github.com/composure-dev/composure/rules/project"
)

// stdinPath is the PATH that means "read one compose file from stdin":
// editors lint an unsaved buffer, and `git show REV:compose.yaml |
// composure lint -` lints a committed version.
const stdinPath = "-"

// stdinOptions are `lint -`'s: the name the content is linted under.
type stdinOptions struct {
	// Filename places the content: findings name it, its directory is the
	// project directory (.env, env files, Dockerfiles, .composure.yaml),
	// and a file of that name on disk is shadowed. Default "-".
	Filename string
	content  []byte
	read     bool
}

// readStdin turns `lint -` into `lint -f NAME` with NAME's content read
// from stdin, bounded like any compose file.
func (o *lintOptions) readStdin() error {
	hasDash := false
	for _, p := range o.Paths {
		if p == stdinPath {
			hasDash = true
		}
	}
	if !hasDash {
		if o.Stdin.Filename != "" {
			return usageError("--stdin-filename needs the path - (read the compose file from stdin)")
		}
		return nil
	}
	if len(o.Paths) != 1 || len(o.Files) > 0 {
		return usageError("- (stdin) must be the only path, without -f")
	}
	data, err := io.ReadAll(io.LimitReader(o.io.In, project.MaxFileSize+1))
	if err != nil {
		return usageError("reading stdin: %v", err)
	}
	if len(data) > project.MaxFileSize {
		return usageError("stdin: more than %d bytes; a compose file is smaller", project.MaxFileSize)
	}
	name := o.Stdin.Filename
	if name == "" {
		name = stdinPath
	}
	o.Paths, o.Files = nil, []string{name}
	o.Stdin.content, o.Stdin.read = data, true
	return nil
}

// stdinOverlay is the content read from stdin, keyed as the loader's
// Overlay wants it (absolute path); nil without `lint -`.
func (o *lintOptions) stdinOverlay() (map[string][]byte, error) {
	if !o.Stdin.read {
		return nil, nil
	}
	abs, err := filepath.Abs(o.Files[0])
	if err != nil {
		return nil, usageError("--stdin-filename: %v", err)
	}
	return map[string][]byte{abs: o.Stdin.content}, nil
}
