package rules

import (
	"fmt"

	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/rules/secrets"
)

// SecretInCommand finds literal passwords in command lines.
var SecretInCommand = &Rule{
	ID:       "secret-in-command",
	Title:    "literal password in command, entrypoint or healthcheck",
	Severity: Warning,
	Fix:      NoFix,
	Doc: Doc{
		What: "Finds literal passwords in `command`, `entrypoint` and `healthcheck.test`: `--requirepass x`, " +
			"`--password=x`, mysql's `-pSECRET`, URLs with `user:password@`, provider tokens. Arguments that " +
			"are `${VAR}` references are not reported.",
		Why: "The command line is committed with the file and visible to every user of the host in `ps`, and " +
			"in `docker inspect`.",
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

func checkSecretInCommand(p *Pass) {
	for _, s := range p.services() {
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
				p.Report(at, Finding{
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
