package rules

import (
	"github.com/composure-dev/composure/rules/lint"
)

// Issue 13, point 9: the project's .env is what docker compose reads for
// interpolation, but services can also load it with `env_file: .env`
// (hoppscotch: nine of them). A variable a fix adds to it then reaches
// every one of those containers, and a secret one service had would be
// handed to all of them. The fix is withheld unless no service would get
// a value it did not have: each service that loads .env already has the
// variable with that value, or sets it in its own environment: (which
// wins over env_file).

// dotEnvSpreads reports whether adding variable=value to the project's
// .env would change the environment of a service that loads .env with
// env_file.
func dotEnvSpreads(p *lint.Pass, variable, value string) bool {
	for _, s := range servicesOf(p) {
		if !loadsDotEnv(p, s) { // secret_delivery.go
			continue
		}
		v := s.Config.Environment[variable]
		if v == nil {
			return true // it would gain the variable
		}
		if *v == value {
			continue
		}
		// Another value: unchanged only when its environment: sets it.
		if loc := p.Project.Locate("services", s.Name, "environment", variable); loc.Depth != 4 {
			return true
		}
	}
	return false
}
