package rules

import (
	"fmt"

	"github.com/composure-dev/composure/rules/lint"

	"github.com/composure-dev/composure/rules/secrets"
)

// SecretInBuildArgs finds literal secrets in build arguments.
var SecretInBuildArgs = &lint.Rule{
	ID:       "secret-in-build-args",
	Title:    "literal secret in build args",
	Options:  []lint.Option{allowNames},
	Severity: lint.Error,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		What: "Finds `build.args` entries whose value is a literal secret, with the same detection as " +
			"`secret-in-environment` (names, value formats, `${VAR:-literal}` defaults).",
		Why: "Build arguments are recorded in the image's history and metadata: anyone who can pull the image " +
			"can read them with `docker history`, long after the compose file was fixed.",
		Bad: `services:
  app:
    build:
      context: .
      args:
        NPM_TOKEN: npm_abcdefghijklmnopqrstuvwxyz0123456789
`,
		Good: `services:
  app:
    build:
      context: .
      secrets:
        - npm-token
secrets:
  npm-token:
    environment: NPM_TOKEN
`,
		FixText: "Display only: pass the value with `build.secrets` and read it in the Dockerfile with " +
			"`RUN --mount=type=secret,id=npm-token`; that needs a Dockerfile change composure does not make.",
		References: []string{
			"https://docs.docker.com/reference/compose-file/build/#secrets",
			"https://docs.docker.com/build/building/secrets/",
		},
	},
	Check: checkSecretInBuildArgs,
}

func checkSecretInBuildArgs(p *lint.Pass) {
	for _, s := range servicesOf(p) {
		if s.Config.Build == nil {
			continue
		}
		for _, e := range rawEntries(p.Project, s.Config.Build.Args, "services", s.Name, "build", "args") {
			if allowedName(p, e.Key) {
				continue
			}
			v := secrets.Check(e.Key, e.Raw, secrets.Hints{})
			if v.Kind != secrets.Literal && v.Kind != secrets.DefaultLiteral {
				continue
			}
			p.Report(e.Loc, lint.Finding{
				Service: s.Name,
				Path:    dotted(e.Path),
				Message: fmt.Sprintf("service %q passes a literal secret in build arg %s (%q: %s); it stays in the image history: use build.secrets and RUN --mount=type=secret",
					s.Name, e.Key, secrets.Mask(v.Secret), v.Reason),
				Redact: []string{v.Secret},
			})
		}
	}
}
