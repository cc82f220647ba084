package project

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/consts"
)

// composeFileEnv returns the files COMPOSE_FILE names for a project run
// in dir, read the way docker compose reads it (compose-go's cli options:
// the process environment over dir's .env, COMPOSE_PATH_SEPARATOR or the
// OS list separator), relative entries resolved from dir; nil when it is
// not set. Only a .env that mentions it is parsed, so a directory
// without one costs a stat.
func composeFileEnv(dir string) []string {
	_, inShell := os.LookupEnv(consts.ComposeFilePath)
	if !inShell {
		// Bounded, never blocking: a .env may be a FIFO or a link into /proc.
		content, err := readBounded(filepath.Join(dir, ".env"))
		if err != nil || !bytes.Contains(content, []byte(consts.ComposeFilePath)) {
			return nil
		}
	}
	o, err := cli.NewProjectOptions(nil, cli.WithWorkingDirectory(dir), cli.WithOsEnv, cli.WithEnvFiles(), cli.WithDotEnv)
	if err != nil {
		return nil // a .env compose cannot read: the load reports it
	}
	value, ok := o.Environment[consts.ComposeFilePath]
	if !ok || value == "" {
		return nil
	}
	sep := o.Environment[consts.ComposePathSeparator]
	if sep == "" {
		sep = string(os.PathListSeparator)
	}
	var files []string
	for _, entry := range strings.Split(value, sep) {
		if entry == "" {
			continue
		}
		if !filepath.IsAbs(entry) {
			entry = filepath.Join(dir, entry)
		}
		files = append(files, entry)
	}
	return files
}
