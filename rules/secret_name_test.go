package rules

import "testing"

// TestSecretNameWords (issue 13, point 9): words the service ends with and
// the variable starts with are said once; every other name is as before.
func TestSecretNameWords(t *testing.T) {
	for _, c := range []struct{ service, key, want string }{
		{"penpot-postgres", "POSTGRES_PASSWORD", "penpot-postgres-password"},
		{"opencti-dev-minio", "MINIO_ROOT_PASSWORD", "opencti-dev-minio-root-password"},
		{"penpot_postgres", "POSTGRES_PASSWORD", "penpot_postgres-password"},
		{"mysql", "MYSQL_ROOT_PASSWORD", "mysql-root-password"},
		{"my-db", "MY_DB_PASSWORD", "my-db-password"},
		{"db", "POSTGRES_PASSWORD", "db-postgres-password"},
		{"postgres-keycloak", "POSTGRES_PASSWORD", "postgres-keycloak-postgres-password"},
		{"redis", "REDIS", "redis-redis"},
		{"app", "SECRET_KEY", "app-secret-key"},
	} {
		if got := secretName(c.service, c.key); got != c.want {
			t.Errorf("secretName(%q, %q) = %q, want %q", c.service, c.key, got, c.want)
		}
	}
}
