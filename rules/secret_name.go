package rules

import "strings"

// joinNameWords joins a service name and a variable's words with a dash,
// saying once the words the service name ends with and the variable
// starts with: mysql + mysql-root-password is mysql-root-password, and
// penpot-postgres + postgres-password is penpot-postgres-password, not
// penpot-postgres-postgres-password (issue 13, point 9). Words repeated
// elsewhere stay (postgres-keycloak + postgres-password): dropping them
// could make two secrets of one service alike, and names a user already
// has would change.
func joinNameWords(service, variable string) string {
	// The service's words as the name will spell them (names.get lower-
	// cases it; _ and . separate words as - does).
	sw := strings.FieldsFunc(strings.ToLower(service), func(r rune) bool { return r == '-' || r == '_' || r == '.' })
	vw := strings.Split(variable, "-")
	for k := min(len(sw), len(vw)-1); k > 0; k-- {
		if equalWords(sw[len(sw)-k:], vw[:k]) {
			return service + "-" + strings.Join(vw[k:], "-")
		}
	}
	return service + "-" + variable
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
