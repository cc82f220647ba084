package rules

import (
	"fmt"
	"strings"

	"github.com/composure-dev/composure/rules/lint"

	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/rules/secrets"
)

// SecretInCommand finds literal passwords in command lines.
var SecretInCommand = &lint.Rule{
	ID:       "secret-in-command",
	Title:    "literal password in command, entrypoint or healthcheck",
	Severity: lint.Warning,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		What: "Finds literal passwords in `command`, `entrypoint` and `healthcheck.test`: `--requirepass x`, " +
			"`--password=x`, mysql's `-pSECRET`, URLs with `user:password@`, provider tokens. Arguments that " +
			"are `${VAR}` references are not reported. Environment variables ending in `_ARGS`, `_OPTS`, `_OPTIONS` " +
			"or `_FLAGS` are read as command lines too.",
		Why: "The command line is committed with the file and visible to every user of the host in `ps`, and " +
			"in `docker inspect`; so are variables that pass extra arguments through (`REDIS_ARGS`, `JAVA_OPTS`).",
		Bad: `services:
  cache:
    image: redis:7
    command: redis-server --requirepass s3cr3t-pass
`,
		Good: `services:
  cache:
    image: redis:7
    command: redis-server /usr/local/etc/redis/redis.conf
    configs:
      - source: redis-conf
        target: /usr/local/etc/redis/redis.conf
configs:
  redis-conf:
    file: ./redis.conf
`,
		References: []string{"https://docs.docker.com/reference/compose-file/services/#command"},
	},
	Check: checkSecretInCommand,
}

// argsSuffixes mark environment variables that hold extra command-line
// arguments for the image's process (REDIS_ARGS, JAVA_OPTS...).
var argsSuffixes = []string{"_ARGS", "_OPTS", "_OPTIONS", "_FLAGS"}

func isArgsVar(key string) bool {
	upper := strings.ToUpper(key)
	for _, suf := range argsSuffixes {
		if strings.HasSuffix(upper, suf) {
			return true
		}
	}
	return false
}

func checkSecretInCommand(p *lint.Pass) {
	for _, s := range servicesOf(p) {
		for _, e := range s.envEntries(p.Project) {
			if !isArgsVar(e.Key) {
				continue
			}
			for _, hit := range secrets.CheckCommand([]string{e.Raw}) {
				p.Report(e.Loc, lint.Finding{
					Service: s.Name,
					Path:    dotted(e.Path),
					Message: fmt.Sprintf("service %q has a literal password in the arguments it passes through %s (%q: %s); it is committed and visible in `docker inspect`: read it from a secret file instead",
						s.Name, e.Key, secrets.Mask(hit.Secret), hit.Reason),
					Redact: []string{hit.Secret},
				})
			}
		}
		for _, key := range [][]string{{"command"}, {"entrypoint"}, {"healthcheck", "test"}} {
			path := append([]string{"services", s.Name}, key...)
			loc := p.Project.Locate(path...)
			if loc.Depth != len(path) || loc.Node == nil {
				continue
			}
			var args []string
			items := []*yaml.Node{loc.Node}
			switch loc.Node.Kind {
			case yaml.ScalarNode:
				args = []string{loc.Node.Value}
			case yaml.SequenceNode:
				items = loc.Node.Content
				for _, it := range items {
					args = append(args, it.Value)
				}
			default:
				continue
			}
			for _, hit := range secrets.CheckCommand(args) {
				at := loc
				if loc.Node.Kind == yaml.SequenceNode && hit.Index >= 0 && hit.Index < len(items) {
					at.Key, at.Node = nil, items[hit.Index]
				}
				p.Report(at, lint.Finding{
					Service: s.Name,
					Path:    dotted(path),
					Message: fmt.Sprintf("service %q has a literal password in its %s (%q: %s); it is committed and visible in `ps` and `docker inspect`: read it from a secret file or config instead",
						s.Name, dotted(key), secrets.Mask(hit.Secret), hit.Reason),
					Redact: []string{hit.Secret},
				})
			}
		}
	}
}
