package rules

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/composure-dev/composure/rules/lint"

	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/rules/secrets"
	"github.com/composure-dev/composure/transform"
)

// SecretInEnvFile finds literal secrets in the env files services load.
var SecretInEnvFile = &lint.Rule{
	ID:       "secret-in-env-file",
	Title:    "literal secret in an env file a service loads",
	Options:  []lint.Option{allowNames},
	Severity: lint.Error,
	Fix:      lint.Safe,
	Doc: lint.Doc{
		What: "Reads the files services load with `env_file:` (short and long syntax, `required: false`, " +
			"`format: raw`) and finds the entries whose value is a literal secret, with the same detection and " +
			"the same exceptions as `secret-in-environment`: by name (password, token, secret, api key...) or by " +
			"value (provider tokens, private keys, JSON web tokens, URLs with `user:password@`). Findings point " +
			"at the line in the env file and name the services that load it. It is an error when git tracks the " +
			"file, when git does not ignore it, or when no git repository is found; a warning when the file is " +
			"gitignored. Env files that do not exist are skipped: they are often created at deploy time; lint says so on stderr " +
			"(a note, not a finding) when the file is required. A " +
			"`# composure:ignore secret-in-env-file -- reason` comment in the env file silences a line there.",
		Why: "An env file next to the compose file is usually committed with it, and then every clone, fork " +
			"and CI log of the repository has the secret. Even a gitignored env file puts the secret in the " +
			"container's environment, where `docker inspect`, every child process and crash dumps see it.",
		Bad: `services:
  db:
    image: postgres:16
    env_file: .env.prod
`,
		BadFiles: map[string]string{".env.prod": "POSTGRES_USER=app\nPOSTGRES_PASSWORD=example\n"},
		Good: `services:
  db:
    image: postgres:16
    env_file: .env.prod
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db-password
    secrets:
      - db-password
secrets:
  db-password:
    file: ./secrets/db-password
`,
		GoodFiles: map[string]string{".env.prod": "POSTGRES_USER=app\n", ".gitignore": "/secrets/\n"},
		FixText: "Safe, when every service that loads the file reads `<VAR>_FILE`: the fix writes the value " +
			"to a file in the secrets directory (mode 0600, gitignored), declares it as a compose secret, grants it " +
			"to each service with `<VAR>_FILE: /run/secrets/<name>`, and deletes the line from the env file once " +
			"the compose file is written. The fix is unsafe when a service is known to read the file as a user " +
			"other than root (its `user:`, or an image such as bitnami's that runs as 1001): docker compose " +
			"bind-mounts a secret file as it is on the host, so that user cannot read a 0600 file; the fix's note " +
			"says to `chown` it. When the services are not all in one compose file, the same steps are " +
			"listed instead. The grant goes into the compose file whose `env_file:` loads the env file (the base " +
			"file, not an override, when both do). No fix when the same value is also in an anchor, a command or a " +
			"healthcheck of the compose files: the message names those lines. Otherwise: keep the env file out of git " +
			"and create it at deploy time, or use a compose secret where the image can read one.",
		References: []string{
			"https://docs.docker.com/reference/compose-file/services/#env_file",
			"https://docs.docker.com/compose/how-tos/use-secrets/",
		},
	},
	Check: checkSecretInEnvFile,
}

// envFileUse is one env file as services load it in one format.
type envFileUse struct {
	File     *project.EnvFile
	Raw      bool // format: raw
	Services []*service
}

// Entries are the file's entries in the format of this use.
func (u envFileUse) Entries() []project.EnvEntry {
	if u.Raw {
		return u.File.RawEntries
	}
	return u.File.Entries
}

// envFileUses lists the env files the loader could read, each with the
// services that load it, in file order.
func envFileUses(p *lint.Pass) []envFileUse {
	type key struct {
		abs string
		raw bool
	}
	uses := map[key]*envFileUse{}
	var keys []key
	for _, s := range servicesOf(p) {
		for _, ef := range s.Config.EnvFiles {
			abs := ef.Path
			if !filepath.IsAbs(abs) {
				abs = filepath.Join(p.Project.Dir, abs)
			}
			f := p.Project.EnvFiles[filepath.Clean(abs)]
			if f == nil || f.File == nil || (ef.Format != "" && ef.Format != "raw") {
				continue
			}
			k := key{f.Abs, ef.Format == "raw"}
			u := uses[k]
			if u == nil {
				u = &envFileUse{File: f, Raw: k.raw}
				uses[k] = u
				keys = append(keys, k)
			}
			if len(u.Services) == 0 || u.Services[len(u.Services)-1] != s {
				u.Services = append(u.Services, s)
			}
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := uses[keys[i]].File, uses[keys[j]].File
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return !keys[i].raw && keys[j].raw
	})
	out := make([]envFileUse, len(keys))
	for i, k := range keys {
		out[i] = *uses[k]
	}
	return out
}

func checkSecretInEnvFile(p *lint.Pass) {
	for _, u := range envFileUses(p) {
		h := mergedHints(u.Services)
		for _, e := range u.Entries() {
			if allowedName(p, e.Key) {
				continue
			}
			v := secrets.Check(e.Key, e.Value, h)
			var what string
			switch v.Kind {
			case secrets.Literal:
				what = "sets %s to a literal secret (%q: %s)"
			case secrets.DefaultLiteral:
				what = "gives %s a literal secret as its ${...} default (%q: %s)"
			default:
				continue
			}
			f := u.File
			sev := lint.Error
			if f.Ignored && !f.Tracked {
				sev = lint.Warning
			}
			// The services are a slot of the message: a file several
			// projects load is reported once, naming the services of all.
			format := escapePercent(fmt.Sprintf("env file %s "+what+" for ", filepath.ToSlash(f.Path), e.Key, secrets.Mask(v.Secret), v.Reason)) +
				"%s" + escapePercent(fmt.Sprintf("; %s: %s", gitState(f.GitStatus), envFileAdvice(u, e.Key, f.GitStatus)))
			names := serviceNames(u.Services)
			fix := envFileFix(p, u, e, v)
			if copies := stuckCopies(p, secrets.Unescape(v.Secret), nil); fix != nil && len(copies) > 0 {
				fix, format = nil, format+escapePercent(copiesNote(copies))
			}
			p.ReportAt(envEntryPos(f, e), lint.Finding{
				Severity:       sev,
				Service:        u.Services[0].Name,
				Services:       names,
				ServicesFormat: format,
				Path:           dotted([]string{"services", u.Services[0].Name, "environment", e.Key}),
				Message:        fmt.Sprintf(format, lint.ServiceList(names)),
				Redact:         redactions(v.Secret, secrets.Unescape(v.Secret), e.Inner),
				Fix:            fix,
			})
		}
	}
}

// envEntryPos is an env file entry's place: from its key to the end of
// its value.
func envEntryPos(f *project.EnvFile, e project.EnvEntry) lint.Position {
	endLine, endCol := f.File.LineCol(e.ValueEnd)
	return lint.Position{File: f.Path, Line: e.Line, Column: e.Column, EndLine: endLine, EndColumn: endCol,
		Offset: e.KeyOffset, EndOffset: e.ValueEnd}
}

// mergedHints joins the image knowledge of the services that load one
// file: a name any of their images calls a secret is one, and a name any
// of them knows is not a secret (POSTGRES_HOST_AUTH_METHOD) is not.
func mergedHints(ss []*service) secrets.Hints {
	var h secrets.Hints
	for _, s := range ss {
		sh := hints(s)
		h.SecretNames = append(h.SecretNames, sh.SecretNames...)
		h.NotSecretNames = append(h.NotSecretNames, sh.NotSecretNames...)
	}
	return h
}

// redactions lists the distinct non-empty texts to mask.
func redactions(texts ...string) []string {
	var out []string
	for _, t := range texts {
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func serviceNames(ss []*service) []string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = s.Name
	}
	return names
}

// escapePercent makes text safe to use as part of a fmt format.
func escapePercent(s string) string { return strings.ReplaceAll(s, "%", "%%") }

// gitState says what git does with a file that holds a secret.
func gitState(st project.GitStatus) string {
	switch {
	case st.Tracked:
		return "the file is committed, so every clone of the repository has the secret"
	case st.Unknown:
		return "git could not tell whether the file is committed (" + st.Why + ")"
	case st.NoRepo:
		return "no git repository was found to tell whether the file is committed"
	case !st.Ignored:
		return "git does not ignore the file, so the next `git add` commits it"
	}
	return "the file is gitignored, but the value still lands in the container's environment, where `docker inspect` shows it"
}

// envFileAdvice says where the secret should go.
func envFileAdvice(u envFileUse, key string, st project.GitStatus) string {
	if vars := fileVars(u, key); vars != nil {
		return fmt.Sprintf("move it to a compose secret and set %s instead", vars[u.Services[0].Name])
	}
	if st.Ignored && !st.Tracked {
		return "pass it as a compose secret where the image can read one from a file"
	}
	return "keep the env file out of git and create it at deploy time, or use a compose secret"
}

// fileVars maps each service that loads the file to the <VAR>_FILE name
// its image reads for key; nil unless every one of them reads one and
// none sets it already.
func fileVars(u envFileUse, key string) map[string]string {
	out := map[string]string{}
	for _, s := range u.Services {
		fileVar, ok := s.fileEnv(key)
		if !ok {
			return nil
		}
		out[s.Name] = fileVar
	}
	return out
}

// envFileFix is the fix for a literal secret in an env file. When every
// service that loads the file reads <VAR>_FILE, the value moves to a
// compose secret as secret-in-environment's fix does, and its line leaves
// the env file (a DeleteLine write, done after the compose file is
// written). When the move cannot be built (the services are not all in one
// compose file, or a helper refuses), the fix is display-only and lists
// the same steps.
func envFileFix(p *lint.Pass, u envFileUse, e project.EnvEntry, v secrets.Verdict) *lint.Fix {
	vars := fileVars(u, e.Key)
	if v.Kind != secrets.Literal || v.StrayDollars || vars == nil {
		return nil
	}
	// A line compose-go reads otherwise than the entry (a statement after
	// the closing quote) would lose bytes when deleted; a key set twice
	// would leave the other value, or revive it.
	if !e.Exact || e.Repeated {
		return nil
	}
	dir, ok := secretsDir(p)
	if !ok {
		return nil
	}
	value := e.Value
	if !e.Verbatim { // raw-format env files are read as written
		value = secrets.Unescape(value)
	}
	// composure never changes a file outside the project: the move,
	// whose compose side depends on deleting the line, is withheld.
	outside := !strings.HasPrefix(u.File.Abs, p.Project.Dir+string(filepath.Separator))
	if move := envFileMove(p, u, e, value); move != nil && !outside {
		move.Writes = append(move.Writes, lint.FileWrite{Kind: lint.DeleteLine, Root: p.Project.Dir, Path: u.File.Abs,
			Content: string(u.File.Content[e.StartOffset:e.EndOffset]), Secret: true})
		return move
	}
	name := sharedOf(p).secrets.peekFree(envSecretBase(u, e.Key), secretFileFree(p, dir, value))
	secretPath := displayPath(p.Project.Dir, filepath.Join(dir, name))
	first := u.Services[0]
	title := fmt.Sprintf("move %s from %s to compose secret %s read through %s", e.Key, u.File.Path, name, vars[first.Name])
	notes := []string{
		fmt.Sprintf("write the value of %s to %s (mode 0600) and add %s to .gitignore", e.Key, secretPath, secretsDirIgnore(p, dir)),
		fmt.Sprintf("declare it under the top-level secrets: %s: {file: %s}", name, secretPath),
	}
	for _, s := range u.Services {
		notes = append(notes, fmt.Sprintf("service %q: add %s to its secrets: and set %s: %s in its environment:", s.Name, name, vars[s.Name], secretTarget(s, name)))
	}
	notes = append(notes, fmt.Sprintf("delete line %d of %s (%s=...)", e.Line, u.File.Path, e.Key))
	if outside {
		notes = append(notes, fmt.Sprintf("%s is outside the project, so composure does not change it: do these steps by hand", u.File.Path))
	}
	return &lint.Fix{Title: title, Applicability: lint.DisplayOnly, Notes: notes}
}

// envSecretBase names the secret: <service>-<var> when one service loads
// the file, <var> when several share it.
func envSecretBase(u envFileUse, key string) string {
	if len(u.Services) == 1 {
		return secretName(u.Services[0].Name, key)
	}
	return strings.ReplaceAll(strings.ToLower(key), "_", "-")
}

// envFileMove builds the compose side of moving an env file secret to a
// compose secret: the secret file and .gitignore line, the top-level
// declaration, and for each service the grant and its <VAR>_FILE entry,
// in the file whose env_file: loads the env file (placement.go). envFileFix
// adds the deletion of the entry's line from the env file. nil when those
// are not all one compose file or a helper refuses.
func envFileMove(p *lint.Pass, u envFileUse, e project.EnvEntry, value string) *lint.Fix {
	vars := fileVars(u, e.Key)
	if vars == nil {
		return nil
	}
	var f *project.File
	nodes := make([]*yaml.Node, len(u.Services))
	for i, s := range u.Services {
		sf, loc := envFileNode(p.Project, s.Name, u.File.Abs)
		if sf == nil || (f != nil && sf != f) || hasMergeKey(loc.Node) || replacedAfter(p.Project, sf, s.Name, "secrets", "environment") {
			return nil
		}
		f, nodes[i] = sf, loc.Node
	}
	dir, ok := secretsDir(p)
	if !ok {
		return nil
	}
	b := newFixBuilder(p, f)
	name := sharedOf(p).secrets.getFree(envSecretBase(u, e.Key), secretFileFree(p, dir, value))
	path := filepath.Join(dir, name)
	b.declare("secrets", []string{name}, []string{"file: " + relFrom(f, path)})
	for i, s := range u.Services {
		b.add(transform.EnsureSequenceItem(b.src, nodes[i], "secrets", name))
		addEnvEntry(b, nodes[i], vars[s.Name], secretTarget(s, name))
	}
	b.writes = append(b.writes, secretFileWrites(p, dir, path, value)...)
	return b.build("move "+e.Key+" from "+u.File.Path+" to compose secret "+name+" read through "+vars[u.Services[0].Name], fileSecretApplicability(b, p, path, u.Services...))
}

// addEnvEntry sets key: value in a service's environment, in the form the
// service writes it (mapping or KEY=value list), creating environment:
// when the service has none.
func addEnvEntry(b *fixBuilder, svc *yaml.Node, key, value string) {
	switch env := transform.Value(svc, "environment"); {
	case env == nil:
		b.add(transform.EnsureKey(b.src, svc, "environment", key+": "+value, true))
	case env.Kind == yaml.MappingNode:
		b.add(transform.AddMappingEntry(b.src, env, key, value))
	case env.Kind == yaml.SequenceNode:
		b.add(transform.AppendSequenceItem(b.src, env, key+"="+value))
	default:
		b.err = transform.ErrUnsupported
	}
}

// hasMergeKey reports a mapping that takes keys from `<<`: a key added to
// it would replace the merged one instead of extending it.
func hasMergeKey(m *yaml.Node) bool {
	if m == nil || m.Kind != yaml.MappingNode {
		return false
	}
	for key := range transform.Pairs(m) {
		if key.Value == "<<" {
			return true
		}
	}
	return false
}
