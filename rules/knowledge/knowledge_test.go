package knowledge

import (
	"reflect"
	"testing"
)

func paths(ps []DataPath) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Path)
	}
	return out
}

func TestLookupNormalisation(t *testing.T) {
	tests := []struct {
		ref      string
		ok       bool
		id, repo string
		tag      string
	}{
		{"postgres", true, "postgres", "postgres", ""},
		{"postgres:16", true, "postgres", "postgres", "16"},
		{"  postgres:16  ", true, "postgres", "postgres", "16"},
		{"library/postgres:16", true, "postgres", "postgres", "16"},
		{"docker.io/postgres:16", true, "postgres", "postgres", "16"},
		{"docker.io/library/postgres:16@sha256:0123456789abcdef", true, "postgres", "postgres", "16"},
		{"index.docker.io/library/postgres", true, "postgres", "postgres", ""},
		{"registry-1.docker.io/library/postgres:17", true, "postgres", "postgres", "17"},
		{"postgres@sha256:abc", true, "postgres", "postgres", ""},
		{"POSTGRES:16", true, "postgres", "postgres", "16"},
		{"Docker.IO/Bitnami/PostgreSQL:17", true, "bitnami-postgresql", "bitnami/postgresql", "17"},
		{"postgres:${PG_TAG:-16}", true, "postgres", "postgres", "${PG_TAG:-16}"},
		{"bitnami/postgresql", true, "bitnami-postgresql", "bitnami/postgresql", ""},
		{"docker.io/bitnami/postgresql:17.2.0", true, "bitnami-postgresql", "bitnami/postgresql", "17.2.0"},
		{"mcr.microsoft.com/mssql/server:2022-latest", true, "mssql", "mcr.microsoft.com/mssql/server", "2022-latest"},
		{"docker.elastic.co/elasticsearch/elasticsearch:9.2.0", true, "elasticsearch", "docker.elastic.co/elasticsearch/elasticsearch", "9.2.0"},
		{"quay.io/keycloak/keycloak:26.0", true, "keycloak", "quay.io/keycloak/keycloak", "26.0"},
		{"timescale/timescaledb:2.17.2-pg17", true, "timescaledb", "timescale/timescaledb", "2.17.2-pg17"},
		// A private registry copy, or another vendor's build, is a different repository.
		{"registry.example.com:5000/postgres:16", false, "", "", ""},
		{"registry.example.com:5000/postgres", false, "", "", ""},
		{"localhost:5000/library/postgres:16", false, "", "", ""},
		{"ghcr.io/postgres:16", false, "", "", ""},
		{"${REGISTRY}/postgres:16", false, "", "", ""},
		{"postgresql:16", false, "", "", ""},
		{"timescale/timescaledb-ha:pg17", false, "", "", ""},
		{"bitnami/keycloak", false, "", "", ""},
		{"myorg/app:1.0", false, "", "", ""},
		{"", false, "", "", ""},
	}
	k := Default()
	for _, tt := range tests {
		m, ok := k.Lookup(tt.ref)
		if ok != tt.ok {
			t.Errorf("Lookup(%q) ok = %v, want %v", tt.ref, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if m.Image.ID != tt.id || m.Repo != tt.repo || m.Tag != tt.tag {
			t.Errorf("Lookup(%q) = %s %q %q, want %s %q %q", tt.ref, m.Image.ID, m.Repo, m.Tag, tt.id, tt.repo, tt.tag)
		}
	}
}

func TestSplitRef(t *testing.T) {
	tests := []struct{ ref, repo, tag string }{
		{"registry.example.com:5000/postgres:16", "registry.example.com:5000/postgres", "16"},
		{"registry.example.com:5000/postgres", "registry.example.com:5000/postgres", ""},
		{"localhost:5000/a/b:1@sha256:ff", "localhost:5000/a/b", "1"},
		{"docker.io/library/postgres:16@sha256:abc", "postgres", "16"},
		{"postgres:${TAG:-16}@sha256:abc", "postgres", "${TAG:-16}"},
		{"${REG:-docker.io}/postgres:16", "${reg:-docker.io}/postgres", "16"},
		{"library/redis", "redis", ""},
	}
	for _, tt := range tests {
		if repo, tag := splitRef(tt.ref); repo != tt.repo || tag != tt.tag {
			t.Errorf("splitRef(%q) = %q, %q; want %q, %q", tt.ref, repo, tag, tt.repo, tt.tag)
		}
	}
	// A user entry can name a private registry copy.
	k := Default().With([]Image{{ID: "private-pg", Images: []string{"registry.example.com:5000/postgres"}}}, nil)
	if m, ok := k.Lookup("registry.example.com:5000/postgres:16"); !ok || m.Image.ID != "private-pg" || m.Tag != "16" {
		t.Errorf("private registry entry: %+v, %v", m, ok)
	}
}

func TestLookupDataPaths(t *testing.T) {
	tests := []struct {
		ref          string
		major        int
		paths        []string
		majorUnknown bool
	}{
		{"postgres:16", 16, []string{"/var/lib/postgresql/data"}, false},
		{"postgres:16.4", 16, []string{"/var/lib/postgresql/data"}, false},
		{"postgres:16-alpine", 16, []string{"/var/lib/postgresql/data"}, false},
		{"postgres:16.4-bookworm", 16, []string{"/var/lib/postgresql/data"}, false},
		{"postgres:17", 17, []string{"/var/lib/postgresql/data"}, false},
		{"postgres:9.6", 9, []string{"/var/lib/postgresql/data"}, false},
		{"postgres:18", 18, []string{"/var/lib/postgresql"}, false},
		{"postgres:18.6-trixie", 18, []string{"/var/lib/postgresql"}, false},
		{"postgres:19beta3", 19, []string{"/var/lib/postgresql"}, false},
		{"postgres", 18, []string{"/var/lib/postgresql"}, false},
		{"postgres:latest", 18, []string{"/var/lib/postgresql"}, false},
		{"postgres:alpine", 18, []string{"/var/lib/postgresql"}, false},
		{"postgres:trixie", 18, []string{"/var/lib/postgresql"}, false},
		{"postgres:${PG_TAG}", 18, []string{"/var/lib/postgresql"}, false},
		{"postgres:${PG_TAG:-16}", 18, []string{"/var/lib/postgresql"}, false},
		{"postgres:$PG_TAG", 18, []string{"/var/lib/postgresql"}, false},
		{"postgres@sha256:abc", 18, []string{"/var/lib/postgresql"}, false},
		{"mysql:8.4", 8, []string{"/var/lib/mysql"}, false},
		{"mysql", 0, []string{"/var/lib/mysql"}, false},
		{"traefik:v3.1", 3, nil, false},
		{"redis:7-alpine", 7, []string{"/data"}, false},
		{"timescale/timescaledb:2.17.2-pg17", 17, []string{"/var/lib/postgresql/data"}, false},
		{"timescale/timescaledb:latest-pg18", 18, []string{"/var/lib/postgresql"}, false},
		// The reference does not say which major an untagged timescaledb/postgis is.
		{"timescale/timescaledb", 0, []string{"/var/lib/postgresql/data", "/var/lib/postgresql"}, true},
		{"postgis/postgis:17-3.5-alpine", 17, []string{"/var/lib/postgresql/data"}, false},
		{"postgis/postgis:18-3.6", 18, []string{"/var/lib/postgresql"}, false},
		{"postgis/postgis", 0, []string{"/var/lib/postgresql/data", "/var/lib/postgresql"}, true},
		{"influxdb:1.12", 1, []string{"/var/lib/influxdb"}, false},
		{"influxdb:2.9-alpine", 2, []string{"/var/lib/influxdb2", "/etc/influxdb2"}, false},
		{"influxdb", 2, []string{"/var/lib/influxdb2", "/etc/influxdb2"}, false},
		{"influxdb:3-core", 3, nil, false},
		{"gitea/gitea:1.22", 1, []string{"/data"}, false},
		{"gitea/gitea:1.22-rootless", 1, []string{"/var/lib/gitea", "/etc/gitea"}, false},
		{"gitea/gitea:latest-rootless", 0, []string{"/var/lib/gitea", "/etc/gitea"}, false},
		{"mongo:8.0", 8, []string{"/data/db"}, false},
		{"mongo:8.0-windowsservercore-ltsc2022", 8, []string{`C:\data\db`}, false},
		{"nginx:1.27", 1, nil, false},
		// SonarQube Data Center search nodes have no plugins; app nodes do.
		{"sonarqube:10.6-community", 10, []string{"/opt/sonarqube/data", "/opt/sonarqube/extensions", "/opt/sonarqube/logs"}, false},
		{"sonarqube:2026.3.0-datacenter-app", 2026, []string{"/opt/sonarqube/data", "/opt/sonarqube/extensions", "/opt/sonarqube/logs"}, false},
		{"sonarqube:2026.3.0-datacenter-search", 2026, []string{"/opt/sonarqube/data", "/opt/sonarqube/logs"}, false},
		{"sonarqube:datacenter-search", 0, []string{"/opt/sonarqube/data", "/opt/sonarqube/logs"}, false},
		{"sonarqube:9.9-DataCenter-Search", 9, []string{"/opt/sonarqube/data", "/opt/sonarqube/logs"}, false},
		// Logs are not state.
		{"clickhouse/clickhouse-server:24.8", 24, []string{"/var/lib/clickhouse"}, false},
		// Keycloak: Quarkus layout from 17, WildFly before and in the legacy tags.
		{"quay.io/keycloak/keycloak:26.7", 26, []string{"/opt/keycloak/data"}, false},
		{"quay.io/keycloak/keycloak", 26, []string{"/opt/keycloak/data"}, false},
		{"quay.io/keycloak/keycloak:16.1.1", 16, []string{"/opt/jboss/keycloak/standalone/data"}, false},
		{"quay.io/keycloak/keycloak:legacy", 26, []string{"/opt/jboss/keycloak/standalone/data"}, false},
		{"quay.io/keycloak/keycloak:17.0.1-legacy", 17, []string{"/opt/jboss/keycloak/standalone/data"}, false},
		{"jboss/keycloak:8.0.1", 8, []string{"/opt/jboss/keycloak/standalone/data"}, false},
		{"jboss/keycloak:legacy", 0, []string{"/opt/jboss/keycloak/standalone/data"}, false},
		// Images built FROM postgres keep its version-dependent layout.
		{"quay.io/debezium/postgres:16-alpine", 16, []string{"/var/lib/postgresql/data"}, false},
		{"debezium/postgres:18", 18, []string{"/var/lib/postgresql"}, false},
		{"pgvector/pgvector:pg17", 17, []string{"/var/lib/postgresql/data"}, false},
		{"pgvector/pgvector:0.8.1-pg18-trixie", 18, []string{"/var/lib/postgresql"}, false},
		{"ghcr.io/immich-app/postgres:14-vectorchord0.4.3-pgvectors0.2.0", 14, []string{"/var/lib/postgresql/data"}, false},
		{"imresamu/postgis:17-3.5", 17, []string{"/var/lib/postgresql/data"}, false},
		// Debezium example tags are Debezium releases: the PostgreSQL major is unknown.
		{"quay.io/debezium/example-postgres:3.4", 0, []string{"/var/lib/postgresql/data", "/var/lib/postgresql"}, true},
		{"quay.io/debezium/example-postgres:16", 0, []string{"/var/lib/postgresql/data", "/var/lib/postgresql"}, true},
		{"quay.io/debezium/example-mysql:3.0", 3, []string{"/var/lib/mysql"}, false},
		// New entries.
		{"confluentinc/cp-zookeeper:7.5.0", 7, []string{"/var/lib/zookeeper/data", "/var/lib/zookeeper/log"}, false},
		{"quay.io/debezium/kafka:3.0", 3, []string{"/kafka/data"}, false},
		{"wurstmeister/kafka", 0, []string{"/kafka"}, false},
		{"docker.io/bitnami/elasticsearch:8", 8, []string{"/bitnami/elasticsearch/data"}, false},
		{"bitnami/rabbitmq:3.13", 3, []string{"/bitnami/rabbitmq/mnesia"}, false},
		{"docker.io/bitnami/redis-cluster:7.2", 7, []string{"/bitnami/redis/data"}, false},
		{"docker.io/bitnami/mongodb-sharded:6.0", 6, []string{"/bitnami/mongodb"}, false},
		{"percona/percona-xtradb-cluster:8.0", 8, []string{"/var/lib/mysql"}, false},
		{"redpandadata/redpanda:v24.2.7", 24, []string{"/var/lib/redpanda/data"}, false},
		{"docker.redpanda.com/vectorized/redpanda:v23.2.16", 23, []string{"/var/lib/redpanda/data"}, false},
		{"scylladb/scylla:6.2", 6, []string{"/var/lib/scylla"}, false},
	}
	k := Default()
	for _, tt := range tests {
		m, ok := k.Lookup(tt.ref)
		if !ok {
			t.Errorf("Lookup(%q) not found", tt.ref)
			continue
		}
		if m.Major != tt.major || m.MajorUnknown != tt.majorUnknown || !reflect.DeepEqual(paths(m.DataPaths), tt.paths) {
			t.Errorf("Lookup(%q) = major %d unknown %v paths %q, want %d %v %q",
				tt.ref, m.Major, m.MajorUnknown, paths(m.DataPaths), tt.major, tt.majorUnknown, tt.paths)
		}
	}
}

func TestLookupFacts(t *testing.T) {
	k := Default()
	get := func(ref string) *Image {
		t.Helper()
		m, ok := k.Lookup(ref)
		if !ok {
			t.Fatalf("Lookup(%q) not found", ref)
		}
		return m.Image
	}
	tests := []struct {
		ref      string
		stateful Statefulness
		declared bool // first data path has VOLUME
	}{
		{"postgres:16", Stateful, true},
		{"mysql:8.4", Stateful, true},
		{"redis:7", Conditional, true},
		{"valkey/valkey:8", Conditional, true},
		{"grafana/grafana:11.0.0", Stateful, false},
		{"elasticsearch:9.2.0", Stateful, false},
		{"bitnami/mysql:8.4", Stateful, false},
	}
	for _, tt := range tests {
		img := get(tt.ref)
		if img.Stateful != tt.stateful || img.DataPaths[0].VolumeDeclared != tt.declared {
			t.Errorf("%s: stateful %v declared %v, want %v %v", tt.ref, img.Stateful, img.DataPaths[0].VolumeDeclared, tt.stateful, tt.declared)
		}
	}
	for _, ref := range []string{"nginx", "memcached:1", "adminer", "kibana:9.2.0"} {
		if img := get(ref); img.Stateful != Stateless || len(img.DataPaths) != 0 {
			t.Errorf("%s: want stateless without paths, got %v %v", ref, img.Stateful, img.DataPaths)
		}
	}
	if img := get("traefik:v3"); img.Stateful != Conditional || img.Condition == "" || len(img.DataPaths) != 0 {
		t.Errorf("traefik: %v %q %v", img.Stateful, img.Condition, img.DataPaths)
	}
	if img := get("apache/kafka:4.0.0"); img.DataEnv != "KAFKA_LOG_DIRS" {
		t.Errorf("kafka DataEnv = %q", img.DataEnv)
	}
}

func TestLookupDoesNotAllocate(t *testing.T) {
	k := Default()
	for _, ref := range []string{"docker.io/library/postgres:16-alpine@sha256:abc", "postgres", "gitea/gitea:1.22-rootless", "myorg/app:1",
		"sonarqube:10-datacenter-search", "quay.io/keycloak/keycloak:17.0.1-legacy", "quay.io/debezium/example-postgres:3.4"} {
		if n := testing.AllocsPerRun(100, func() { k.Lookup(ref) }); n != 0 {
			t.Errorf("Lookup(%q) allocates %.0f times", ref, n)
		}
	}
}

func TestTagMajor(t *testing.T) {
	tests := []struct {
		tag, prefix string
		major       int
		ok          bool
	}{
		{"16", "", 16, true},
		{"16.4", "", 16, true},
		{"16-alpine", "", 16, true},
		{"16.4-bookworm", "", 16, true},
		{"v2.5", "", 2, true},
		{"V3", "", 3, true},
		{"latest", "", 0, false},
		{"alpine", "", 0, false},
		{"trixie", "", 0, false},
		{"", "", 0, false},
		{"${PG_TAG}", "", 0, false},
		{"${PG_TAG:-16}", "", 0, false},
		{"16-${VARIANT}", "", 0, false},
		{"2.17.2-pg17", "pg", 17, true},
		{"latest-pg18-oss", "pg", 18, true},
		{"2.17.2", "pg", 0, false},
		{"pgx-1", "pg", 0, false},
	}
	for _, tt := range tests {
		major, ok := tagMajor(tt.tag, tt.prefix)
		if major != tt.major || ok != tt.ok {
			t.Errorf("tagMajor(%q, %q) = %d, %v; want %d, %v", tt.tag, tt.prefix, major, ok, tt.major, tt.ok)
		}
	}
}

func TestSupportsFileEnv(t *testing.T) {
	tests := []struct {
		ref, v, want string
		ok           bool
	}{
		{"postgres:16", "POSTGRES_PASSWORD", "POSTGRES_PASSWORD_FILE", true},
		{"postgres:16", "POSTGRES_USER", "POSTGRES_USER_FILE", true},
		{"postgres:16", "PGPASSWORD", "", false},
		{"postgres:16", "POSTGRES_PASSWORD_FILE", "", false},
		{"postgres:16", "postgres_password", "", false},
		{"mysql", "MYSQL_ROOT_PASSWORD", "MYSQL_ROOT_PASSWORD_FILE", true},
		{"rabbitmq:4", "RABBITMQ_DEFAULT_PASS", "", false}, // broken since 3.9
		{"grafana/grafana", "GF_SECURITY_ADMIN_PASSWORD", "GF_SECURITY_ADMIN_PASSWORD__FILE", true},
		{"grafana/grafana", "GF_", "", false},
		{"grafana/grafana", "ADMIN_PASSWORD", "", false},
		{"gitea/gitea", "GITEA__database__PASSWD", "GITEA__database__PASSWD__FILE", true},
		{"neo4j:5", "NEO4J_AUTH", "NEO4J_AUTH_FILE", true},
		{"redis:7", "REDIS_PASSWORD", "", false},       // file_env supported: false
		{"mssql", "MSSQL_SA_PASSWORD", "", false},      // not in the data
		{"nginx", "ANYTHING", "", false},               // no file_env at all
		{"percona", "MYSQL_ROOT_PASSWORD", "", false},  // unverified
		{"n8nio/n8n", "N8N_ENCRYPTION_KEY", "", false}, // vars not recorded
		{"nextcloud", "OBJECTSTORE_SWIFT_USER_PASSWORD", "", false},
	}
	k := Default()
	for _, tt := range tests {
		m, ok := k.Lookup(tt.ref)
		if !ok {
			if tt.ok {
				t.Errorf("Lookup(%q) not found", tt.ref)
			}
			continue
		}
		got, ok := m.Image.SupportsFileEnv(tt.v)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s SupportsFileEnv(%q) = %q, %v; want %q, %v", tt.ref, tt.v, got, ok, tt.want, tt.ok)
		}
	}
	broken := &Image{FileEnv: FileEnv{Supported: true, Broken: true, Suffix: "_FILE", Vars: []string{"PASS"}}}
	if v, ok := broken.SupportsFileEnv("PASS"); ok {
		t.Errorf("broken FileEnv: SupportsFileEnv = %q, true", v)
	}
	rabbit, _ := k.Lookup("rabbitmq")
	if !rabbit.Image.FileEnv.Broken {
		t.Error("rabbitmq FileEnv.Broken = false")
	}
	minio, _ := k.Lookup("quay.io/minio/minio")
	if !minio.Image.FileEnv.NameOnly {
		t.Error("minio FileEnv.NameOnly = false")
	}
}

func TestSecretNames(t *testing.T) {
	k := Default()
	tests := []struct {
		ref, name         string
		secret, notSecret bool
	}{
		{"postgres", "POSTGRES_PASSWORD", true, false},
		{"postgres", "postgres_password", true, false},
		{"postgres", "POSTGRES_HOST_AUTH_METHOD", false, true},
		{"postgres", "POSTGRES_PASSWORD_FILE", false, true},
		{"postgres", "POSTGRES_USER", false, false},
		{"postgres", "POSTGRES_USER_FILE", false, true}, // a file reference for a supported var
		{"mysql", "MYSQL_ONETIME_PASSWORD", false, true},
		{"grafana/grafana", "GF_SECURITY_ADMIN_PASSWORD__FILE", false, true},
		{"grafana/grafana", "GF_SECURITY_ADMIN_PASSWORD_FILE", false, false},
		{"mongo-express", "ME_CONFIG_MONGODB_TLS_CERT_KEY_FILE", false, true},
		{"mongo-express", "ME_CONFIG_MONGODB_TLS_CERT_KEY_FILE_PASSWORD", true, false},
		// A config blob: scan_value, not secret_env (TestScanValueEnv).
		{"confluentinc/cp-kafka", "KAFKA_LISTENER_NAME_INTERNAL_PLAIN_SASL_JAAS_CONFIG", false, false},
		{"confluentinc/cp-kafka", "KAFKA_SSL_KEYSTORE_PASSWORD", true, false},
		{"confluentinc/cp-kafka", "KAFKA_SASL_JAAS", false, false},
		{"ghost", "database__connection__password", true, false},
		{"rabbitmq", "RABBITMQ_DEFAULT_PASS_FILE", false, false}, // broken, not a supported reference
	}
	for _, tt := range tests {
		m, ok := k.Lookup(tt.ref)
		if !ok {
			t.Fatalf("Lookup(%q) not found", tt.ref)
		}
		if got := m.Image.IsSecretEnv(tt.name); got != tt.secret {
			t.Errorf("%s IsSecretEnv(%q) = %v", tt.ref, tt.name, got)
		}
		if got := m.Image.IsNotSecret(tt.name); got != tt.notSecret {
			t.Errorf("%s IsNotSecret(%q) = %v", tt.ref, tt.name, got)
		}
	}
}

func TestPersistenceOff(t *testing.T) {
	tests := []struct {
		ref     string
		command []string
		want    bool
	}{
		{"redis", []string{"redis-server", "--save", "", "--appendonly", "no"}, true},
		{"redis", []string{"redis-server --save '' --appendonly no"}, true},
		{"redis", []string{`redis-server --save "" --appendonly no`}, true},
		{"redis", []string{"redis-server", "--save", "''", "--appendonly", "no"}, true},
		{"redis", []string{"sh", "-c", "redis-server --save '' --appendonly no"}, true},
		{"redis", []string{"redis-server", "--save", ""}, true}, // appendonly is off unless enabled
		{"redis", []string{"redis-server", "--SAVE", "", "--appendonly", "NO"}, true},
		{"redis", []string{"redis-server", "--save", "", "--appendonly", "yes"}, false},
		{"redis", []string{"redis-server --save '' --appendonly yes"}, false},
		{"redis", []string{"redis-server", "--save", "60", "1"}, false},
		{"redis", []string{"redis-server", "--appendonly", "no"}, false},
		{"redis", []string{"redis-server"}, false},
		{"redis", nil, false},
		{"valkey/valkey", []string{"valkey-server --save '' "}, true},
		{"traefik", []string{"--save", ""}, false},  // no hint for this image
		{"postgres", []string{"--save", ""}, false}, // stateful, never off
	}
	k := Default()
	for _, tt := range tests {
		m, ok := k.Lookup(tt.ref)
		if !ok {
			t.Fatalf("Lookup(%q) not found", tt.ref)
		}
		if got := m.Image.PersistenceOff(tt.command); got != tt.want {
			t.Errorf("%s PersistenceOff(%q) = %v, want %v", tt.ref, tt.command, got, tt.want)
		}
	}
}

func TestSplitCommand(t *testing.T) {
	tests := []struct {
		in   []string
		want []string
	}{
		{[]string{"a", "", "b"}, []string{"a", "", "b"}},
		{[]string{"a b  c"}, []string{"a", "b", "c"}},
		{[]string{"--save ''"}, []string{"--save", ""}},
		{[]string{`--save ""`}, []string{"--save", ""}},
		{[]string{`"`}, []string{""}},
		{[]string{`echo "a b" 'c d' e\ f`}, []string{"echo", "a b", "c d", "e f"}},
		{[]string{`x "a \"q\" b"`}, []string{"x", `a "q" b`}},
		{[]string{`C:\data`}, []string{`C:\data`}},
	}
	for _, tt := range tests {
		if got := SplitCommand(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitCommand(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWith(t *testing.T) {
	base := Default()
	k := base.With([]Image{
		{ID: "orders-db", Images: []string{"docker.io/MyOrg/orders-db"}, DataPaths: []DataPath{{Path: "/srv/data"}}},
		{ID: "my-postgres", Images: []string{"postgres"}, Stateful: Stateful, DataPaths: []DataPath{{Path: "/pg"}}},
		{ID: "caches", Images: []string{"myorg/*-cache"}, Stateful: Stateless},
	}, []string{"myorg/*-db", "other/store"})

	tests := []struct {
		ref, id string
		ok      bool
		state   Statefulness
		paths   []string
	}{
		{"myorg/orders-db:1", "orders-db", true, Stateful, []string{"/srv/data"}},
		{"myorg/users-db:1", "myorg/*-db", true, Stateful, nil},
		{"docker.io/myorg/users-db", "myorg/*-db", true, Stateful, nil},
		{"myorg/session-cache", "caches", true, Stateless, nil},
		{"other/store:2", "other/store", true, Stateful, nil},
		{"postgres:16", "my-postgres", true, Stateful, []string{"/pg"}},
		{"mysql:8", "mysql", true, Stateful, []string{"/var/lib/mysql"}},
		{"myorg/app", "", false, 0, nil},
		{"myorg/team/x-db", "", false, 0, nil}, // '*' does not cross '/'
	}
	for _, tt := range tests {
		m, ok := k.Lookup(tt.ref)
		if ok != tt.ok {
			t.Errorf("Lookup(%q) ok = %v", tt.ref, ok)
			continue
		}
		if ok && (m.Image.ID != tt.id || m.Image.Stateful != tt.state || !reflect.DeepEqual(paths(m.DataPaths), tt.paths)) {
			t.Errorf("Lookup(%q) = %s %v %q, want %s %v %q", tt.ref, m.Image.ID, m.Image.Stateful, paths(m.DataPaths), tt.id, tt.state, tt.paths)
		}
	}
	// The receiver is unchanged.
	if m, _ := base.Lookup("postgres:16"); m.Image.ID != "postgres" {
		t.Errorf("With changed the base: postgres -> %s", m.Image.ID)
	}
	if _, ok := base.Lookup("myorg/orders-db"); ok {
		t.Error("With changed the base: user entry visible")
	}
	if len(k.All()) != len(base.All())+5 {
		t.Errorf("All() = %d entries, want %d", len(k.All()), len(base.All())+5)
	}
	// A user glob wins over a built-in name.
	if m, _ := base.With(nil, []string{"postgr*"}).Lookup("postgres"); m.Image.ID != "postgr*" {
		t.Errorf("glob did not win: %s", m.Image.ID)
	}
	if CheckPattern("myorg/[") == nil || CheckPattern("myorg/*-db") != nil {
		t.Error("CheckPattern")
	}
}

func BenchmarkLookup(b *testing.B) {
	k := Default()
	refs := []string{
		"postgres:16-alpine",
		"docker.io/library/redis:7@sha256:0123456789abcdef0123456789abcdef",
		"bitnami/postgresql:17",
		"ghcr.io/myorg/service:1.2.3",
		"gitea/gitea:1.22-rootless",
		"nginx",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k.Lookup(refs[i%len(refs)])
	}
}

func BenchmarkLookupWithUserGlobs(b *testing.B) {
	k := Default().With(nil, []string{"myorg/*-db", "other/*"})
	b.ReportAllocs()
	for b.Loop() {
		k.Lookup("ghcr.io/myorg/service:1.2.3")
	}
}
