package secrets

import "testing"

// benchEnv is a realistic mix of compose environment entries: mostly
// innocent settings, some secrets by name, interpolations, URLs and tokens.
var benchEnv = [][2]string{
	{"TZ", "Europe/Berlin"},
	{"PUID", "1000"},
	{"PGID", "1000"},
	{"NODE_ENV", "production"},
	{"LOG_LEVEL", "info"},
	{"POSTGRES_USER", "postgres"},
	{"POSTGRES_DB", "app"},
	{"POSTGRES_PASSWORD", "example"},
	{"POSTGRES_PASSWORD", "${POSTGRES_PASSWORD}"},
	{"POSTGRES_PASSWORD_FILE", "/run/secrets/db"},
	{"POSTGRES_HOST_AUTH_METHOD", "trust"},
	{"MYSQL_ROOT_PASSWORD", "${MYSQL_ROOT_PASSWORD:-root}"},
	{"MYSQL_ALLOW_EMPTY_PASSWORD", "yes"},
	{"REDIS_HOST", "redis"},
	{"REDIS_PORT", "6379"},
	{"DATABASE_URL", "postgres://app:app@db:5432/app"},
	{"DATABASE_URL", "postgres://${DB_USER}:${DB_PASSWORD}@db:5432/app"},
	{"MM_SQLSETTINGS_DATASOURCE", "postgres://mmuser:mmuser_password@postgres:5432/mattermost?sslmode=disable"},
	{"GF_SECURITY_ADMIN_PASSWORD", "admin"},
	{"GF_SERVER_ROOT_URL", "https://grafana.example.com"},
	{"MINIO_ROOT_USER", "minioadmin"},
	{"MINIO_ROOT_PASSWORD", "minioadmin"},
	{"RABBITMQ_DEFAULT_PASS", "guest"},
	{"RABBITMQ_ERLANG_COOKIE", "SWQOKODSQALRPCLNMEQG"},
	{"JWT_SECRET", "${JWT_SECRET:?set it}"},
	{"JWT_EXPIRATION", "3600"},
	{"ACCESS_TOKEN_TTL", "900"},
	{"GITHUB_TOKEN", fakeGitHub},
	{"SUPABASE_ANON_KEY", fakeJWT},
	{"KAFKA_CFG_LISTENERS", "PLAINTEXT://:9092,CONTROLLER://:9093"},
	{"KAFKA_CFG_ADVERTISED_LISTENERS", "PLAINTEXT://kafka:9092"},
	{"KAFKA_SSL_KEYSTORE_CREDENTIALS", "kafka_keystore_creds"},
	{"JAVA_OPTS", "-Xms512m -Xmx512m"},
	{"ES_JAVA_OPTS", "-Xms1g -Xmx1g"},
	{"discovery.type", "single-node"},
	{"xpack.security.enabled", "false"},
	{"N8N_ENCRYPTION_KEY", "a-long-random-string"},
	{"WORDPRESS_DB_HOST", "db:3306"},
	{"WORDPRESS_DB_PASSWORD", "wordpress"},
	{"VIRTUAL_HOST", "app.example.com"},
	{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"},
	{"HOME", "${PWD}/home"},
}

func BenchmarkCheck(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, kv := range benchEnv {
			Check(kv[0], kv[1], Hints{})
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(benchEnv)), "ns/entry")
}

func BenchmarkCheckCommand(b *testing.B) {
	cmds := [][]string{
		{"redis-server --requirepass ${REDIS_PASSWORD} --appendonly yes"},
		{"CMD", "mysqladmin", "ping", "-h", "localhost", "-uroot", "-p$$MYSQL_ROOT_PASSWORD"},
		{"CMD-SHELL", "pg_isready -U postgres || exit 1"},
		{"nginx", "-g", "daemon off;"},
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cmds {
			CheckCommand(c)
		}
	}
}
