package rules

import (
	"fmt"
	"strings"

	"github.com/composure-dev/composure/rules/lint"

	"github.com/composure-dev/composure/rules/secrets"
)

// SecretInterpolatedEnvironment finds secrets passed as environment
// variables from ${VAR}.
var SecretInterpolatedEnvironment = &lint.Rule{
	ID:       "secret-interpolated-environment",
	Title:    "secret passed as an environment variable from ${VAR}",
	Options:  []lint.Option{allowNames},
	Severity: lint.Warning,
	Fix:      lint.Safe,
	Doc: lint.Doc{
		What: "Finds secret-named `environment:` entries filled by interpolation (`${VAR}`, `$VAR`, " +
			"`${VAR:?error}`), and URLs whose password part is interpolated.",
		Why: "Nothing is committed, which is good, but the value still reaches the container as a plain " +
			"environment variable: `docker inspect` shows it, every child process inherits it, and it ends up in " +
			"crash dumps and debug output. A compose secret is a file readable only inside the container.",
		Bad: `services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
`,
		Good: `services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db-password
    secrets:
      - db-password
secrets:
  db-password:
    environment: POSTGRES_PASSWORD
`,
		FixText: "When the image reads `<VAR>_FILE`: declare a top-level secret with `environment: VAR` and " +
			"switch the entry to `<VAR>_FILE` (safe). The grant says `mode: 0444` unless the process reads it as " +
			"root: docker compose copies an environment secret in root-owned, 0400 before v2.20 and 0440 in v2.34 " +
			"(pkg/compose/secrets.go createTar), and a `uid` in the grant makes older engines look the container's " +
			"user up on the host (moby#34142). An image that refuses a file others can read (elasticsearch) gets no " +
			"fix. Otherwise there is no automatic fix.",
		References: []string{
			"https://docs.docker.com/reference/compose-file/secrets/",
			"https://docs.docker.com/reference/compose-file/interpolation/",
		},
	},
	Check: checkSecretInterpolatedEnvironment,
}

func checkSecretInterpolatedEnvironment(p *lint.Pass) {
	for _, s := range servicesOf(p) {
		for _, e := range s.envEntries(p.Project) {
			if allowedName(p, e.Key) {
				continue
			}
			v := e.Verdict
			if v.Kind != secrets.Interpolated {
				continue
			}
			from := "${" + strings.Join(v.Vars, "}, ${") + "}"
			advice := "it is visible in `docker inspect` and to every process in the container: pass it as a compose secret if the image can read one"
			if s.Image != nil {
				if fileVar, ok := s.Image.SupportsFileEnv(e.Key); ok {
					advice = fmt.Sprintf("it is visible in `docker inspect`: declare a compose secret from the environment and set %s instead", fileVar)
				}
			}
			var fix *lint.Fix
			if m := singleVar.FindStringSubmatch(e.Raw); m != nil {
				fix = interpolatedSecretFix(p, s, e.rawEntry, m[1]+m[2])
			}
			p.Report(e.Loc, lint.Finding{
				Service: s.Name,
				Path:    dotted(e.Path),
				Message: fmt.Sprintf("service %q passes the secret %s as an environment variable from %s; %s", s.Name, e.Key, from, advice),
				Fix:     fix,
			})
		}
	}
}
