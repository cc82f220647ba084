package project

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/dotenv"
)

// environment is what interpolation sees: the process environment plus
// the variables of the project's .env (or the --env-file list) it does
// not set, as docker compose does.
func (p *projectLoader) environment(dir string, opts Options) (map[string]string, error) {
	environ := opts.Environ
	if environ == nil {
		environ = os.Environ()
	}
	env := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	if len(opts.EnvFiles) > 0 {
		merged, err := dotenv.GetEnvFromFile(env, opts.EnvFiles)
		if err != nil {
			// GetEnvFromFile names the file by its absolute path; the
			// error names it as given.
			msg, file := err.Error(), opts.EnvFiles[0]
			for _, f := range opts.EnvFiles {
				abs, _ := filepath.Abs(f)
				for _, prefix := range []string{"failed to read " + f + ": ", "failed to read " + abs + ": "} {
					if rest, ok := strings.CutPrefix(msg, prefix); ok {
						msg, file = rest, f
					}
				}
			}
			content, _ := readBounded(file)
			return nil, envFileError(file, content, msg)
		}
		mergeUnset(env, merged)
		return env, nil
	}
	dotEnv := filepath.Join(dir, ".env")
	content, ok := opts.Overlay[dotEnv] // the fixer's pending .env lines
	if !ok {
		st, err := os.Stat(dotEnv)
		if err != nil || !st.Mode().IsRegular() {
			return env, nil
		}
		// Bounded: a .env symlinked into /proc would stream forever.
		var rerr *Error
		if content, rerr = readBounded(dotEnv); rerr != nil {
			rerr.File = p.displayPath(dotEnv)
			return nil, rerr
		}
	}
	// Read once, parsed twice: for interpolation, where ${X} in .env sees
	// the process environment first, as in compose-go's GetEnvFromFile;
	// and as the file says on its own (DotEnv), which is what fixes
	// compare with and write to, whether it came from disk or a pass.
	merged, err := dotenv.ParseWithLookup(bytes.NewReader(content), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		return nil, envFileError(p.displayPath(dotEnv), content, err.Error())
	}
	p.DotEnvPath = dotEnv
	p.DotEnv, _ = dotenv.ParseWithLookup(bytes.NewReader(content), nil)
	mergeUnset(env, merged)
	return env, nil
}

// mergeUnset adds the env file's variables that the process environment
// does not set: the shell wins over .env and --env-file, as in docker
// compose (compose-go's WithDotEnv merges the same way).
func mergeUnset(env, fromFile map[string]string) {
	for k, v := range fromFile {
		if _, set := env[k]; !set {
			env[k] = v
		}
	}
}

// placeholderNote says which unset variables were linted as placeholders:
// unset-<name> strings, and port numbers in `ports` values.
func (p *projectLoader) placeholderNote() string {
	names := p.unset
	subject := fmt.Sprintf("variable %s is not set", names[0])
	if len(names) > 1 {
		subject = fmt.Sprintf("variables %s are not set", strings.Join(names, ", "))
	}
	strs := slices.Sorted(maps.Keys(p.heldStr))
	if len(p.heldPort) == 0 {
		strs = names
	}
	var with []string
	switch len(strs) {
	case 0:
	case 1:
		with = append(with, "the placeholder "+PlaceholderPrefix+strings.ToLower(strs[0]))
	default:
		with = append(with, PlaceholderPrefix+"<name> placeholders")
	}
	switch ports := slices.Sorted(maps.Keys(p.heldPort)); len(ports) {
	case 0:
	case 1:
		s := fmt.Sprintf("the placeholder port %d", p.heldPort[ports[0]])
		if len(names) > 1 {
			s += " for " + ports[0]
		}
		with = append(with, s)
	default:
		var each []string
		for _, n := range ports {
			each = append(each, fmt.Sprintf("%d for %s", p.heldPort[n], n))
		}
		with = append(with, "the placeholder ports "+strings.Join(each, ", "))
	}
	return subject + "; linted with " + strings.Join(with, " and ")
}
