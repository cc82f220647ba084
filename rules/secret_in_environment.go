package rules

import (
	"fmt"

	"github.com/composure-dev/composure/rules/lint"

	"github.com/composure-dev/composure/rules/secrets"
)

// SecretInEnvironment finds literal secrets in `environment:`.
var SecretInEnvironment = &lint.Rule{
	ID:       "secret-in-environment",
	Title:    "literal secret in environment",
	Options:  []lint.Option{allowNames},
	Severity: lint.Error,
	Fix:      lint.Safe,
	Doc: lint.Doc{
		What: "Finds `environment:` entries whose value is a literal secret, in map or list form. A value is a " +
			"secret when its name says so (password, passwd, `_PASS`, `_PWD`, secret, token, api key, private " +
			"key, credentials, salt, cookie...) or when the value itself has a known format: provider tokens " +
			"(GitHub, GitLab, Slack, Stripe, AWS, Google, OpenAI...), private keys, JSON web tokens, and URLs " +
			"with `user:password@`. A `${VAR:-literal}` default is scanned as a literal, and so is a secret-named " +
			"value that mixes text with an unbraced `$NAME` (`P4ss$word`, an argon2 hash `$argon2id$v=19$...`): " +
			"compose reads each such `$` as a variable, so it is a literal with a stray `$`, not a reference, and " +
			"its pieces are never quoted back as variable names. Not reported: `*_FILE` " +
			"references, bare `${VAR}`, empty values, booleans (`ALLOW_EMPTY_PASSWORD=yes`), key ids, paths, " +
			"lifetimes and auth methods (`POSTGRES_HOST_AUTH_METHOD`).",
		Why: "The compose file is committed: every clone, fork, CI log and backup of the repository has the " +
			"secret. In the container an environment variable is visible to `docker inspect`, to every child " +
			"process and in crash dumps.",
		Bad: `services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: example
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
    file: ./secrets/db-password
`,
		FixText: "When the image reads `<VAR>_FILE`, the value moves to a file in the secrets directory (mode " +
			"0600, gitignored), declared as a compose secret and granted to the service (safe). " + secretDeliveryDoc + " Otherwise it moves " +
			"to the project's gitignored `.env` and the file keeps `${VAR:?VAR is not set}` (safe), unless git tracks " +
			"that `.env`: ignoring it would not untrack it, so there is no fix then. Moving the default of " +
			"`${VAR:-default}` is unsafe: the deployments that set VAR do not use it, so it exists for the runs " +
			"that do not, a fresh clone and CI, which then fail with \"VAR is not set\". Every move lists what it " +
			"moved in the project's committed template (`.env.example`, or the `.env.sample` or `.env.dist` it " +
			"has), names only, and `fix` says once what a fresh clone needs. Images where " +
			"`_FILE` is known to break (rabbitmq 3.9+) never get the `_FILE` form. A value with a stray `$` gets no " +
			"fix: compose empties the part after it, and only the author knows whether it was meant as `$$`. " +
			"No move to `.env` when a service that loads `.env` with `env_file` would get the secret without having " +
			"had it. No move at all when the same value is also in an anchor, a command, an entrypoint or a " +
			"healthcheck, where no fix moves it: the message names those lines, to move every copy together.",
		References: []string{
			"https://docs.docker.com/compose/how-tos/use-secrets/",
			"https://docs.docker.com/reference/compose-file/secrets/",
		},
	},
	Check: checkSecretInEnvironment,
}

func checkSecretInEnvironment(p *lint.Pass) {
	for _, s := range servicesOf(p) {
		for _, e := range s.envEntries(p.Project) {
			if allowedName(p, e.Key) {
				continue
			}
			v := e.Verdict
			var msg string
			switch v.Kind {
			case secrets.Literal:
				msg = fmt.Sprintf("service %q sets %s to a literal secret (%q: %s); the committed file gives it away: %s",
					s.Name, e.Key, secrets.Mask(v.Secret), v.Reason, moveAdvice(s, e.Key))
			case secrets.DefaultLiteral:
				msg = fmt.Sprintf("service %q gives %s a literal secret as its ${...} default (%q: %s); the committed file gives it away: %s",
					s.Name, e.Key, secrets.Mask(v.Secret), v.Reason, moveAdvice(s, e.Key))
			default:
				continue
			}
			fix := secretEnvFix(p, s, e.rawEntry, v)
			if copies := stuckCopies(p, secrets.Unescape(v.Secret), e.Loc.Node); fix != nil && len(copies) > 0 {
				fix, msg = nil, msg+copiesNote(copies)
			}
			p.Report(e.Loc, lint.Finding{Service: s.Name, Path: dotted(e.Path), Message: msg, Redact: []string{v.Secret}, Fix: fix})
		}
		reportShadowedLiterals(p, s, s.envEntries(p.Project))
	}
}

// moveAdvice says where a secret should go for this service's image.
func moveAdvice(s *service, key string) string {
	if s.Image != nil {
		if fileVar, ok := s.Image.SupportsFileEnv(key); ok {
			return fmt.Sprintf("move it to a compose secret and set %s instead", fileVar)
		}
	}
	return "move it to an uncommitted .env file or a compose secret"
}
