package knowledge

import (
	"reflect"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

func lookupImage(t *testing.T, ref string) *Image {
	t.Helper()
	m, ok := Default().Lookup(ref)
	if !ok {
		t.Fatalf("Lookup(%q) not found", ref)
	}
	return m.Image
}

// URLs and config blobs are scanned by value, not flagged by name: the
// name alone must not make `mongodb://mongo:27017` a secret.
func TestScanValueEnv(t *testing.T) {
	tests := []struct{ ref, name string }{
		{"mongo-express", "ME_CONFIG_MONGODB_URL"},
		{"mongo-express", "me_config_mongodb_url"},
		{"gitlab/gitlab-ce", "GITLAB_OMNIBUS_CONFIG"},
		{"vaultwarden/server", "DATABASE_URL"},
		{"mattermost/mattermost-team-edition", "MM_SQLSETTINGS_DATASOURCE"},
		{"confluentinc/cp-kafka", "KAFKA_SASL_JAAS_CONFIG"},
		{"confluentinc/cp-server", "KAFKA_LISTENER_NAME_INTERNAL_PLAIN_SASL_JAAS_CONFIG"},
		{"hashicorp/consul", "CONSUL_LOCAL_CONFIG"},
		{"hashicorp/vault", "VAULT_LOCAL_CONFIG"},
	}
	for _, tt := range tests {
		img := lookupImage(t, tt.ref)
		if !img.IsScanValueEnv(tt.name) {
			t.Errorf("%s IsScanValueEnv(%q) = false", tt.ref, tt.name)
		}
		if img.IsSecretEnv(tt.name) || img.IsNotSecret(tt.name) {
			t.Errorf("%s %q: secret %v, not secret %v; want neither", tt.ref, tt.name, img.IsSecretEnv(tt.name), img.IsNotSecret(tt.name))
		}
	}
	// Every secret_env entry is a plain secret, never a URL or config blob.
	for _, img := range Default().All() {
		for _, name := range img.SecretEnv {
			if img.IsScanValueEnv(name) {
				t.Errorf("%s: %q in secret_env and scan_value", img.ID, name)
			}
		}
	}
	// The names keep their _FILE support.
	for ref, name := range map[string]string{"mongo-express": "ME_CONFIG_MONGODB_URL", "vaultwarden/server": "DATABASE_URL"} {
		if v, ok := lookupImage(t, ref).SupportsFileEnv(name); !ok || v != name+"_FILE" {
			t.Errorf("%s SupportsFileEnv(%q) = %q, %v", ref, name, v, ok)
		}
	}
	if lookupImage(t, "mongo-express").IsScanValueEnv("ME_CONFIG_BASICAUTH_PASSWORD") {
		t.Error("a password is not scan_value")
	}
}

func strp(s string) *string { return &s }

func TestStatelessFor(t *testing.T) {
	tests := []struct {
		ref  string
		env  map[string]*string
		want bool
	}{
		{"quay.io/keycloak/keycloak:26.7", map[string]*string{"KC_DB": strp("postgres")}, true},
		{"quay.io/keycloak/keycloak:26.7", map[string]*string{"KC_DB": strp(" mariadb ")}, true},
		{"quay.io/keycloak/keycloak:26.7", map[string]*string{"KC_DB": strp("dev-mem")}, true}, // in memory: nothing on disk
		{"quay.io/keycloak/keycloak:26.7", map[string]*string{"KC_DB": strp("dev-file")}, false},
		{"quay.io/keycloak/keycloak:26.7", map[string]*string{"KC_DB": strp("DEV-FILE")}, false},
		{"quay.io/keycloak/keycloak:26.7", map[string]*string{"KC_DB": strp("")}, false},
		{"quay.io/keycloak/keycloak:26.7", map[string]*string{"KC_DB": nil}, false},              // `- KC_DB` without a value
		{"quay.io/keycloak/keycloak:26.7", map[string]*string{"KC_DB": strp("${KC_DB}")}, false}, // unresolved
		{"quay.io/keycloak/keycloak:26.7", map[string]*string{"kc_db": strp("postgres")}, false}, // names are exact
		{"quay.io/keycloak/keycloak:26.7", map[string]*string{"KC_DB_URL": strp("jdbc:postgresql://db/kc")}, false},
		{"quay.io/keycloak/keycloak:26.7", nil, false},
		{"quay.io/keycloak/keycloak:legacy", map[string]*string{"DB_VENDOR": strp("postgres")}, true},
		{"jboss/keycloak:16.1.1", map[string]*string{"DB_VENDOR": strp("POSTGRES")}, true},
		{"jboss/keycloak:16.1.1", map[string]*string{"DB_VENDOR": strp("h2")}, false},
		{"jboss/keycloak:16.1.1", map[string]*string{"DB_VENDOR": strp("H2")}, false},
		{"jboss/keycloak:16.1.1", map[string]*string{"KC_DB": strp("postgres")}, false}, // not read by the legacy image
		{"registry:2", map[string]*string{"REGISTRY_STORAGE": strp("s3")}, true},
		{"registry:2", map[string]*string{"REGISTRY_STORAGE": strp("inmemory")}, true},
		{"registry:2", map[string]*string{"REGISTRY_STORAGE": strp("filesystem")}, false},
		{"registry:2", map[string]*string{"REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY": strp("/srv")}, false},
		{"postgres:16", map[string]*string{"KC_DB": strp("postgres")}, false}, // no switches
	}
	for _, tt := range tests {
		if got := lookupImage(t, tt.ref).StatelessFor(tt.env); got != tt.want {
			t.Errorf("%s StatelessFor(%v) = %v, want %v", tt.ref, tt.env, got, tt.want)
		}
	}
	// compose-go's service environment is accepted as it is; `- KC_DB`
	// without a value is a nil entry.
	kc := lookupImage(t, "quay.io/keycloak/keycloak")
	if !kc.StatelessFor(types.NewMappingWithEquals([]string{"KC_DB=postgres", "KC_HOSTNAME=x"})) {
		t.Error("StatelessFor(MappingWithEquals{KC_DB=postgres}) = false")
	}
	if kc.StatelessFor(types.NewMappingWithEquals([]string{"KC_DB"})) {
		t.Error("StatelessFor(MappingWithEquals{KC_DB}) = true")
	}
	if img := lookupImage(t, "registry"); img.DataEnv != "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY" {
		t.Errorf("registry DataEnv = %q", img.DataEnv)
	}
}

func TestDataPathsFromCommand(t *testing.T) {
	dp := func(p string, declared bool) DataPath { return DataPath{Path: p, VolumeDeclared: declared} }
	tests := []struct {
		ref  string
		cmd  []string
		want []DataPath
	}{
		{"minio/minio", []string{"server", "/data"}, []DataPath{dp("/data", true)}},
		{"quay.io/minio/minio:RELEASE.2025-09-06T17-38-46Z", []string{"server /data --console-address \":9001\""}, []DataPath{dp("/data", true)}},
		{"minio/minio", []string{"minio", "server", "--console-address", ":9001", "/export/"}, []DataPath{dp("/export", false)}},
		{"minio/minio", []string{"sh", "-c", "mkdir -p /data/bucket && minio server /data"}, []DataPath{dp("/data", true)}},
		{"minio/minio", []string{"server", "--certs-dir", "/certs", "/data"}, []DataPath{dp("/data", true)}},
		{"minio/minio", []string{"server", "-S", "/certs", "--address=:9000", "/data"}, []DataPath{dp("/data", true)}},
		{"minio/minio", []string{"server", "/data1", "/data2", "/data1"}, []DataPath{dp("/data1", false), dp("/data2", false)}},
		{"minio/minio", []string{"server /data && echo done /tmp"}, []DataPath{dp("/data", true)}},
		{"minio/minio", []string{"server /data; echo /tmp"}, []DataPath{dp("/data", true)}},
		// Distributed and multi-drive setups: the local path cannot be told.
		{"minio/minio", []string{"server", "http://minio{1...4}/data{1...2}"}, nil},
		{"minio/minio", []string{"server", "--console-address", ":9001", "http://minio1/data", "http://minio2/data"}, nil},
		{"minio/minio", []string{"server", "/data{1...4}"}, nil},
		{"minio/minio", []string{"server", "${MINIO_DATA_DIR}"}, nil},
		{"minio/minio", []string{"server", "data"}, nil}, // relative
		{"minio/minio", []string{"gateway", "s3"}, nil},
		{"minio/minio", nil, nil},
		{"postgres", []string{"server", "/data"}, nil}, // no data_from_args
	}
	for _, tt := range tests {
		if got := lookupImage(t, tt.ref).DataPathsFromCommand(tt.cmd); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s DataPathsFromCommand(%q) = %+v, want %+v", tt.ref, tt.cmd, got, tt.want)
		}
	}
}

func TestHasTagComponent(t *testing.T) {
	tests := []struct {
		tag, v string
		want   bool
	}{
		{"1.22-rootless", "rootless", true},
		{"rootless", "rootless", true},
		{"ROOTLESS-1.22", "rootless", true},
		{"1.22-rootlessx", "rootless", false},
		{"1.22-xrootless", "rootless", false},
		{"2026.3.0-datacenter-search", "datacenter-search", true},
		{"datacenter-search", "datacenter-search", true},
		{"9.9-datacenter-search-x", "datacenter-search", true},
		{"2026.3.0-datacenter-app", "datacenter-search", false},
		{"search-datacenter", "datacenter-search", false},
		{"datacenter-searchx", "datacenter-search", false},
		{"xdatacenter-search", "datacenter-search", false},
		{"", "rootless", false},
		{"rootless", "", false},
	}
	for _, tt := range tests {
		if got := hasTagComponent(tt.tag, tt.v); got != tt.want {
			t.Errorf("hasTagComponent(%q, %q) = %v", tt.tag, tt.v, got)
		}
	}
}
