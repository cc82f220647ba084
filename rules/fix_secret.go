package rules

import (
	"path/filepath"
	"regexp"
	"strings"

	"github.com/composure-dev/composure/rules/lint"

	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/rules/secrets"
	"github.com/composure-dev/composure/transform"
)

// envVarName is what compose interpolation accepts as a variable name.
var envVarName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// entryFix starts a fix on an environment entry: the entry must belong to
// the service in the file that holds it, not to an anchor other services
// share or an extends base, and the service must not already set fileVar.
func entryFix(p *lint.Pass, s *service, e rawEntry) (*fixBuilder, *yaml.Node) {
	f := e.Loc.File
	if f == nil || transform.IsAliased(f.Source(), e.Loc.Node) {
		return nil, nil
	}
	if own := p.Project.LocateIn(f, e.Path...); own.Node != e.Loc.Node {
		return nil, nil
	}
	svc := p.Project.LocateIn(f, "services", s.Name)
	if svc.Depth != 2 || svc.Node.Kind != yaml.MappingNode {
		return nil, nil
	}
	return newFixBuilder(p, f), svc.Node
}

// replaceEntry rewrites KEY: value (or - KEY=value) as newKey: newValue in
// the form the file uses.
func replaceEntry(b *fixBuilder, e rawEntry, newKey, newValue string) {
	if e.Loc.Key != nil {
		if newKey != e.Key {
			b.add(transform.ReplaceScalar(b.src, e.Loc.Key, newKey))
		}
		b.add(transform.ReplaceScalar(b.src, e.Loc.Node, newValue))
		return
	}
	b.add(transform.ReplaceScalar(b.src, e.Loc.Node, quoteLike(e.Loc.Node, newKey+"="+unquote(newValue))))
}

// unquote drops the double quotes replaceEntry's callers put around a
// value that contains braces; inside a list item the whole item is quoted
// like the original instead.
func unquote(v string) string {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		return v[1 : len(v)-1]
	}
	return v
}

// secretFileFix moves a literal secret into a compose secret read through
// <VAR>_FILE: the value goes to <secrets-dir>/<name> (0600, gitignored).
func secretFileFix(p *lint.Pass, s *service, e rawEntry, value string) *lint.Fix {
	fileVar, ok := s.fileEnv(e.Key)
	if !ok {
		return nil
	}
	// A process that cannot read a 0600 file gets the value another way
	// (secret_delivery.go).
	if r := secretReader(s); !r.anyFile {
		if fix := envSecretFix(p, s, e, value, r); fix != nil {
			return fix
		}
	}
	b, svc := entryFix(p, s, e)
	if b == nil {
		return nil
	}
	dir, ok := secretsDir(p)
	if !ok {
		return nil
	}
	name := sharedOf(p).secrets.getFree(secretName(s.Name, e.Key), secretFileFree(p, dir, value))
	path := filepath.Join(dir, name)
	b.declare("secrets", []string{name}, []string{"file: " + relFrom(b.file, path)})
	b.add(transform.EnsureSequenceItem(b.src, svc, "secrets", name))
	replaceEntry(b, e, fileVar, secretTarget(s, name))
	b.writes = append(b.writes, secretFileWrites(p, dir, path, value)...)
	return b.build("move "+e.Key+" to compose secret "+name+" read through "+fileVar, fileSecretApplicability(b, p, path, s))
}

// secretFileFree accepts a secret name whose file in dir is not there or
// holds value already: a secret file is never overwritten, so another
// compose file in the folder with a service of the same name and another
// password gets db-postgres-password-2, as .env names clash (it was
// refused on every run).
func secretFileFree(p *lint.Pass, dir, value string) func(string) bool {
	return func(name string) bool {
		old, exists := p.Project.Existing(filepath.Join(dir, name))
		return !exists || old != nil && string(old) == value
	}
}

// dotEnvFix moves a literal secret into the project's .env (gitignored)
// and leaves ${VAR:?...} in the compose file.
func dotEnvFix(p *lint.Pass, s *service, e rawEntry, variable, value string, fromDefault bool) *lint.Fix {
	if !envVarName.MatchString(variable) || p.Project.DotEnvGit.Tracked || p.Project.DotEnvGit.Unknown {
		// A committed .env: gitignoring it does not untrack it, and the
		// secret would be committed again with the next change to it.
		// One git could not tell about may be (the loader notes why).
		return nil
	}
	b, _ := entryFix(p, s, e)
	if b == nil {
		return nil
	}
	if fromDefault {
		// ${VAR:-secret}: the name is what deployments already set, so it
		// stays; only when this entry is its sole use.
		if sharedOf(p).refs[variable] != 1 {
			return nil
		}
		if old, ok := sharedOf(p).envVars[variable]; ok && old != value {
			return nil
		}
		sharedOf(p).envVars[variable] = value
	} else {
		// Two services may set one variable to different values: the
		// second gets its own .env name rather than changing the first.
		var ok bool
		if variable, ok = sharedOf(p).envVar(variable, s.Name, value); !ok {
			return nil
		}
	}
	line, ok := dotEnvLine(variable, value)
	if !ok || dotEnvSpreads(p, variable, value) {
		return nil
	}
	replaceEntry(b, e, e.Key, `"${`+variable+`:?`+variable+` is not set}"`)
	b.writes = append(b.writes, dotEnvWrites(p, variable, line)...)
	if fromDefault {
		// Unsafe (fresh_clone.go): the default is what a fresh clone and
		// CI run with; after the move they fail "VAR is not set".
		return b.build("move the default of "+variable+" to the gitignored .env", lint.Unsafe)
	}
	return b.build("move "+e.Key+" to the gitignored .env", lint.Safe)
}

// interpolatedSecretFix turns KEY: ${VAR} into a compose secret from the
// environment, read through <KEY>_FILE.
func interpolatedSecretFix(p *lint.Pass, s *service, e rawEntry, variable string) *lint.Fix {
	if s.Config.ReadOnly {
		return nil // environment secrets are copied in: not into read-only services
	}
	if ownerOnly(s) && !secretReader(s).anyFile {
		return nil // a 0444 secret is refused (secret_delivery.go)
	}
	fileVar, ok := s.fileEnv(e.Key)
	if !ok {
		return nil
	}
	b, svc := entryFix(p, s, e)
	if b == nil {
		return nil
	}
	name := sharedOf(p).secrets.get(secretName(s.Name, e.Key))
	b.declare("secrets", []string{name}, []string{"environment: " + variable})
	// Mode 0444 for a reader that is not root: compose copies an
	// environment secret in root-owned, 0400 or 0440 before v2.35
	// (secret_delivery.go).
	b.add(transform.EnsureSequenceItem(b.src, svc, "secrets", secretReader(s).grant(name)))
	replaceEntry(b, e, fileVar, secretTarget(s, name))
	return b.build("pass "+e.Key+" as compose secret "+name+" read through "+fileVar, lint.Safe)
}

// secretTarget is what the service's <VAR>_FILE entry says for a compose
// secret: its path under /run/secrets, or only its name for images that
// add the directory themselves.
func secretTarget(s *service, name string) string {
	if s.Image != nil && s.Image.FileEnv.NameOnly {
		return name
	}
	return "/run/secrets/" + name
}

// secretFileWrites gitignore the secrets directory, then create a secret
// file (0600) in it: in that order, so a secret file is never on disk
// un-ignored when the second write fails (a disk that fills).
func secretFileWrites(p *lint.Pass, dir, path, value string) []lint.FileWrite {
	return []lint.FileWrite{
		{Kind: lint.EnsureLine, Root: p.Project.Dir, Path: filepath.Join(p.Project.Dir, ".gitignore"), Content: secretsDirIgnore(p, dir)},
		{Kind: lint.CreateSecret, Root: p.Project.Dir, Path: path, Content: value, Secret: true},
		templateFileWrites(p, path)[0],
	}
}

// secretsDirIgnore is the .gitignore line for the secrets directory.
func secretsDirIgnore(p *lint.Pass, dir string) string {
	// Escaped: --secrets-dir 'a[b' would otherwise be a glob that misses
	// the directory, and '*' one that ignores every top-level directory.
	return "/" + project.GitignorePattern(mustRel(p.Project.Dir, dir)) + "/"
}

// singleVar matches a value that is exactly one variable: $VAR, ${VAR},
// ${VAR:?err} or ${VAR?err}.
var singleVar = regexp.MustCompile(`^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?::?\?[^}]*)?\})$`)

// defaultOnly matches ${VAR:-literal} or ${VAR-literal} as the whole value.
var defaultOnly = regexp.MustCompile(`^\$\{([A-Za-z_][A-Za-z0-9_]*):?-([^${}]*)\}$`)

// secretName is <service>-<variable>, lower-case with dashes, without
// saying a word twice where they meet (secretNameWords).
func secretName(service, key string) string {
	return joinNameWords(service, strings.ReplaceAll(strings.ToLower(key), "_", "-"))
}

// fileEnv returns the <key>_FILE variable a fix can set: the service's
// image reads it, and the service does not set it already.
func (s *service) fileEnv(key string) (string, bool) {
	if s.Image == nil {
		return "", false
	}
	fileVar, ok := s.Image.SupportsFileEnv(key)
	if !ok {
		return "", false
	}
	if _, set := s.Config.Environment[fileVar]; set {
		return "", false
	}
	return fileVar, true
}

// secretsDir is the absolute secrets directory, refused when it would
// land outside the project.
func secretsDir(p *lint.Pass) (string, bool) {
	dir := p.SecretsDir
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(p.Project.Dir, dir)
	}
	dir = filepath.Clean(dir)
	rel, err := filepath.Rel(p.Project.Dir, dir)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return dir, true
}

// relFrom writes target relative to the directory of the compose file
// that will name it, as compose resolves it.
func relFrom(f *project.File, target string) string {
	rel := filepath.ToSlash(mustRel(filepath.Dir(f.Abs), target))
	if !strings.HasPrefix(rel, "../") {
		rel = "./" + rel
	}
	return rel
}

func mustRel(base, target string) string {
	rel, err := filepath.Rel(base, target)
	if err != nil {
		return target
	}
	return rel
}

// dotEnvLine writes VAR=value so compose's .env parser (compose-go's
// dotenv) reads back exactly value. Single quotes keep a value literal ($,
// #, spaces), but a backslash in them escapes a quote after it, so a value
// ending in \ ended the quote never (compose then could not load the
// project): a value with a backslash, a quote or a line break is written
// in double quotes, where \\, \", \n and \r are escapes and $$ is a
// dollar. FuzzDotEnvLine holds the round trip.
func dotEnvLine(variable, value string) (string, bool) {
	if !strings.ContainsAny(value, "'\\\n\r") {
		return variable + "='" + value + "'", true
	}
	if strings.ContainsRune(value, 0) {
		return "", false
	}
	var b strings.Builder
	b.WriteString(variable + `="`)
	for _, c := range []byte(value) {
		switch c {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '$':
			b.WriteString(`$$`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String(), true
}

// secretEnvFix picks the fix for a literal secret in an environment entry.
func secretEnvFix(p *lint.Pass, s *service, e rawEntry, v secrets.Verdict) *lint.Fix {
	if v.StrayDollars {
		return nil // moving it would change the value the container gets
	}
	if e.Repeated {
		return nil // moving the live item would revive the other
	}
	switch v.Kind {
	case secrets.Literal:
		value := secrets.Unescape(v.Secret)
		if fix := secretFileFix(p, s, e, value); fix != nil {
			return fix
		}
		return dotEnvFix(p, s, e, e.Key, value, false)
	case secrets.DefaultLiteral:
		m := defaultOnly.FindStringSubmatch(e.Raw)
		if m == nil {
			return nil
		}
		return dotEnvFix(p, s, e, m[1], secrets.Unescape(m[2]), true)
	}
	return nil
}
