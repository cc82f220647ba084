package secrets

import (
	"slices"
	"testing"
)

const (
	rPassword   = "its name marks it as a password"
	rSecret     = "its name marks it as a secret"
	rToken      = "its name marks it as a token"
	rAPIKey     = "its name marks it as an api key"
	rAccessKey  = "its name marks it as an access key"
	rPrivateKey = "its name marks it as a private key"
	rKey        = "its name marks it as a key"
	rCreds      = "its name marks it as credentials"
	rSalt       = "its name marks it as a salt"
	rCookie     = "its name marks it as an erlang cookie"
	rAuth       = "its name marks it as a user/password pair"
	rHint       = "the image documents it as a secret"
	rGitHub     = "the value is a github token"
	rAWS        = "the value is an aws access key id"
)

type checkCase struct {
	name     string // test case name
	key, raw string
	hints    Hints
	kind     Kind
	reason   string   // checked when not ""
	secret   string   // checked when kind is Literal or DefaultLiteral
	vars     []string // checked when not nil
	stray    bool     // want StrayDollars
}

func checkCases() []checkCase {
	return []checkCase{
		// ---- secret by name (literal) ----
		{name: "postgres docs example", key: "POSTGRES_PASSWORD", raw: "example", kind: Literal, reason: rPassword, secret: "example"},
		{name: "mysql root", key: "MYSQL_ROOT_PASSWORD", raw: "secret", kind: Literal, reason: rPassword},
		{name: "numbered pass suffix", key: "DB_PASS2", raw: "Tr0ub4dor3xyz", kind: Literal, reason: rPassword},
		{name: "numbered key", key: "API_KEY1", raw: "k3y-value-abcdef", kind: Literal},
		{name: "numbered setting stays a setting", key: "DB_PASSWORD_LENGTH2", raw: "16", kind: None},
		{name: "rabbitmq _PASS", key: "RABBITMQ_DEFAULT_PASS", raw: "guest", kind: Literal, reason: rPassword},
		{name: "smtp _PASS", key: "SMTP_PASS", raw: "hunter2", kind: Literal, reason: rPassword},
		{name: "n8n smtp pass", key: "N8N_SMTP_PASS", raw: "hunter2", kind: Literal, reason: rPassword},
		{name: "ghost nconf pass", key: "mail__options__auth__pass", raw: "hunter2", kind: Literal, reason: rPassword},
		{name: "ghost nconf password lower", key: "database__connection__password", raw: "example", kind: Literal, reason: rPassword},
		{name: "gitea PASSWD", key: "GITEA__database__PASSWD", raw: "gitea", kind: Literal, reason: rPassword},
		{name: "gitea legacy DB_PASSWD", key: "DB_PASSWD", raw: "gitea", kind: Literal, reason: rPassword},
		{name: "mysql pwd", key: "MYSQL_PWD", raw: "s3cret", kind: Literal, reason: rPassword},
		{name: "oracle pwd", key: "ORACLE_PWD", raw: "Oracle123", kind: Literal, reason: rPassword},
		{name: "bare PASSWORD (odoo)", key: "PASSWORD", raw: "odoo", kind: Literal, reason: rPassword},
		{name: "pgpassword glued", key: "PGPASSWORD", raw: "postgres", kind: Literal, reason: rPassword},
		{name: "pihole webpassword glued", key: "WEBPASSWORD", raw: "admin", kind: Literal, reason: rPassword},
		{name: "mongo-express adminpassword glued", key: "ME_CONFIG_MONGODB_ADMINPASSWORD", raw: "pass", kind: Literal, reason: rPassword},
		{name: "phpmyadmin controlpass", key: "PMA_CONTROLPASS", raw: "pmapass", kind: Literal, reason: rPassword},
		{name: "kafka client passwords plural", key: "KAFKA_CLIENT_PASSWORDS", raw: "a1,b2", kind: Literal, reason: rPassword},
		{name: "keycloak prefix not a key", key: "KEYCLOAK_ADMIN_PASSWORD", raw: "admin", kind: Literal, reason: rPassword},
		{name: "file password after FILE token", key: "ME_CONFIG_MONGODB_TLS_CERT_KEY_FILE_PASSWORD", raw: "keypw", kind: Literal, reason: rPassword},
		{name: "short PW suffix", key: "DB_PW", raw: "letmein", kind: Literal, reason: rPassword},
		{name: "spanish contrasena", key: "DB_CONTRASENA", raw: "clave123", kind: Literal, reason: rPassword},
		{name: "digits kept for password", key: "REDIS_PASSWORD", raw: "123456", kind: Literal, reason: rPassword},
		{name: "weak changeme", key: "ADMIN_PASSWORD", raw: "changeme", kind: Literal},
		{name: "weak literal password", key: "DB_PASSWORD", raw: "password", kind: Literal},
		{name: "weak admin", key: "GF_SECURITY_ADMIN_PASSWORD", raw: "admin", kind: Literal},
		{name: "your_password_here is literal", key: "DB_PASSWORD", raw: "your_password_here", kind: Literal},
		{name: "bitnami default", key: "KAFKA_INTER_BROKER_PASSWORD", raw: "bitnami", kind: Literal},
		{name: "couchdb secret", key: "COUCHDB_SECRET", raw: "abc123def", kind: Literal, reason: rSecret},
		{name: "secret key base", key: "SECRET_KEY_BASE", raw: "0123abcdef", kind: Literal, reason: rSecret},
		{name: "redmine secret key base", key: "REDMINE_SECRET_KEY_BASE", raw: "0123abcdef", kind: Literal, reason: rSecret},
		{name: "cookie secret glued", key: "ME_CONFIG_SITE_COOKIESECRET", raw: "cookiesecret", kind: Literal, reason: rSecret},
		{name: "grafana oauth client secret", key: "GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET", raw: "abcdef", kind: Literal, reason: rSecret},
		{name: "aws secret access key", key: "AWS_SECRET_ACCESS_KEY", raw: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz", kind: Literal, reason: rAccessKey},
		{name: "registry s3 secretkey glued", key: "REGISTRY_STORAGE_S3_SECRETKEY", raw: "abcdefgh", kind: Literal, reason: rSecret},
		{name: "vaultwarden admin token", key: "ADMIN_TOKEN", raw: "some-admin-token", kind: Literal, reason: rToken},
		{name: "vault root token id is a secret", key: "VAULT_DEV_ROOT_TOKEN_ID", raw: "myroot", kind: Literal, reason: rToken},
		{name: "influx admin token", key: "DOCKER_INFLUXDB_INIT_ADMIN_TOKEN", raw: "my-super-secret-auth-token", kind: Literal, reason: rToken},
		{name: "gitea internal token", key: "GITEA__security__INTERNAL_TOKEN", raw: "abc.def", kind: Literal, reason: rToken},
		{name: "kibana serviceaccounttoken glued", key: "ELASTICSEARCH_SERVICEACCOUNTTOKEN", raw: "AAEAAWVsYXN0aWM", kind: Literal, reason: rToken},
		{name: "weaviate apikey glued", key: "OPENAI_APIKEY", raw: "sk-whatever", kind: Literal, reason: rAPIKey},
		{name: "qdrant api key nested", key: "QDRANT__SERVICE__API_KEY", raw: "qdrant-key", kind: Literal, reason: rAPIKey},
		{name: "weaviate allowed keys", key: "AUTHENTICATION_APIKEY_ALLOWED_KEYS", raw: "key1,key2", kind: Literal, reason: rAPIKey},
		{name: "typesense api key", key: "TYPESENSE_API_KEY", raw: "xyz123", kind: Literal, reason: rAPIKey},
		{name: "minio access key", key: "MINIO_ACCESS_KEY", raw: "minioadmin", kind: Literal, reason: rAccessKey},
		{name: "jwt private key by name", key: "JWT_PRIVATE_KEY", raw: "not-pem-but-secret", kind: Literal, reason: rPrivateKey},
		{name: "kibana encryptionkey glued", key: "XPACK_SECURITY_ENCRYPTIONKEY", raw: "something_at_least_32_characters", kind: Literal, reason: rKey},
		{name: "azure accountkey glued", key: "REGISTRY_STORAGE_AZURE_ACCOUNTKEY", raw: "abcd==", kind: Literal, reason: rKey},
		{name: "n8n encryption key", key: "N8N_ENCRYPTION_KEY", raw: "n8nkey", kind: Literal, reason: rKey},
		{name: "meili master key", key: "MEILI_MASTER_KEY", raw: "masterKey", kind: Literal, reason: rKey},
		{name: "wordpress auth key", key: "WORDPRESS_AUTH_KEY", raw: "put your unique phrase here", kind: Literal, reason: rKey},
		{name: "nextcloud s3 key", key: "OBJECTSTORE_S3_KEY", raw: "s3key", kind: Literal, reason: rKey},
		{name: "vaultwarden push key", key: "PUSH_INSTALLATION_KEY", raw: "abcdef", kind: Literal, reason: rKey},
		{name: "wordpress salt", key: "WORDPRESS_NONCE_SALT", raw: "put your unique phrase here", kind: Literal, reason: rSalt},
		{name: "couchdb erlang cookie", key: "COUCHDB_ERLANG_COOKIE", raw: "monster", kind: Literal, reason: rCookie},
		{name: "rabbitmq erlang cookie", key: "RABBITMQ_ERLANG_COOKIE", raw: "SWQOKODSQALRPCLNMEQG", kind: Literal, reason: rCookie},
		{name: "n8n credentials overwrite", key: "CREDENTIALS_OVERWRITE_DATA", raw: `{"api":{"clientId":"a"}}`, kind: Literal, reason: rCreds},
		{name: "neo4j auth user/password", key: "NEO4J_AUTH", raw: "neo4j/password", kind: Literal, reason: rAuth, secret: "neo4j/password"},

		// ---- value formats (any name) ----
		{name: "github token by value wins", key: "GITHUB_TOKEN", raw: fakeGitHub, kind: Literal, reason: rGitHub, secret: fakeGitHub},
		{name: "github token in innocent name", key: "SOME_SETTING", raw: fakeGitHub, kind: Literal, reason: rGitHub},
		{name: "token in a false-positive name", key: "POSTGRES_HOST_AUTH_METHOD", raw: fakeGitHub, kind: Literal, reason: rGitHub},
		{name: "token despite NotSecretNames hint", key: "CI_THING", raw: fakeGitLab, hints: Hints{NotSecretNames: []string{"ci_thing"}}, kind: Literal, reason: "the value is a gitlab token"},
		{name: "aws key id value under _ID name", key: "AWS_ACCESS_KEY_ID", raw: fakeAWS, kind: Literal, reason: rAWS},
		{name: "mongo url with password", key: "ME_CONFIG_MONGODB_URL", raw: "mongodb://root:example@mongo:27017/", kind: Literal, reason: reasonURL, secret: "mongodb://root:example@mongo:27017/"},
		{name: "vaultwarden database url", key: "DATABASE_URL", raw: "mysql://user:pass@host/db", kind: Literal, reason: reasonURL},
		{name: "nats route", key: "NATS_ROUTES", raw: "nats-route://ruser:T0pS3cr3t@otherdockerhost:6222", kind: Literal, reason: reasonURL},
		{name: "redis url empty user", key: "REDIS_URL", raw: "redis://:hunter2@redis:6379/0", kind: Literal, reason: reasonURL},
		// issue 16, item 3: a connection string's unquoted password
		{name: "ado.net connection string", key: "ConnectionStrings__Default", raw: "Server=db;Database=app;User Id=sa;Password=Kq2Lm3Np4Rs5;", kind: Literal, reason: reasonInline, secret: "Server=db;Database=app;User Id=sa;Password=Kq2Lm3Np4Rs5;"},
		{name: "odbc pwd last", key: "ODBC", raw: "Driver={ODBC};Server=db;Uid=sa;Pwd=Kq2Lm3Np4Rs5", kind: Literal, reason: reasonInline},
		{name: "connection string from a variable", key: "CONN", raw: "Server=db;Password=${DB_PASSWORD};", kind: None},
		{name: "prose is not a connection string", key: "NOTE", raw: "see the password=foo section", kind: None},
		{name: "pem private key", key: "TLS_CERT_DATA", raw: fakePEM, kind: Literal, reason: reasonPrivateKey},
		{name: "jwt value", key: "SUPABASE_ANON", raw: fakeJWT, kind: Literal, reason: reasonJWT},
		{name: "slack webhook url", key: "NOTIFY", raw: fakeSlackHook, kind: Literal, reason: "the value is a slack webhook url"},
		{name: "kafka jaas inline password", key: "KAFKA_SASL_JAAS_CONFIG", raw: `org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret";`, kind: Literal, reason: reasonInline},
		{name: "gitlab omnibus inline", key: "GITLAB_OMNIBUS_CONFIG", raw: "external_url 'https://gitlab.example.com'\ngitlab_rails['initial_root_password'] = 'MySup3rPass'\n", kind: Literal, reason: reasonInline},
		{name: "escaped dollar in literal", key: "DB_PASSWORD", raw: "pa$$word", kind: Literal, secret: "pa$$word"},
		{name: "escaped dollar url password", key: "DSN", raw: "postgres://u:pa$$w@h/db", kind: Literal, reason: reasonURL},

		// ---- interpolation ----
		{name: "braced interpolation", key: "POSTGRES_PASSWORD", raw: "${POSTGRES_PASSWORD}", kind: Interpolated, reason: rPassword, vars: []string{"POSTGRES_PASSWORD"}},
		{name: "bare interpolation", key: "DB_PASS", raw: "$DB_PASS", kind: Interpolated, vars: []string{"DB_PASS"}},
		{name: "required with error", key: "API_TOKEN", raw: "${API_TOKEN:?set API_TOKEN in .env}", kind: Interpolated, vars: []string{"API_TOKEN"}},
		{name: "required without colon", key: "API_TOKEN", raw: "${API_TOKEN?missing}", kind: Interpolated},
		{name: "error text is never scanned", key: "GREETING", raw: "${GREETING:?" + fakeGitHub + "}", kind: None},
		{name: "opensearch default literal", key: "OPENSEARCH_INITIAL_ADMIN_PASSWORD", raw: "${OPENSEARCH_INITIAL_ADMIN_PASSWORD:-Admin123!}", kind: DefaultLiteral, reason: rPassword, secret: "Admin123!", vars: []string{"OPENSEARCH_INITIAL_ADMIN_PASSWORD"}},
		{name: "default without colon", key: "DB_PASSWORD", raw: "${DB_PASSWORD-changeme}", kind: DefaultLiteral, secret: "changeme"},
		{name: "nested default", key: "DB_PASSWORD", raw: "${A:-${B:-nested}}", kind: DefaultLiteral, secret: "nested", vars: []string{"A", "B"}},
		{name: "alternate value literal", key: "DB_PASSWORD", raw: "${USE_DEV:+devpass}", kind: DefaultLiteral, secret: "devpass"},
		{name: "empty default", key: "DB_PASSWORD", raw: "${DB_PASSWORD:-}", kind: Interpolated},
		{name: "path default is not a secret", key: "DB_PASSWORD", raw: "${DB_PASSWORD:-/run/secrets/db}", kind: Interpolated},
		{name: "placeholder default", key: "DB_PASSWORD", raw: "${DB_PASSWORD:-<set-me>}", kind: Interpolated},
		{name: "token default under innocent name", key: "CONFIG", raw: "${CONFIG:-" + fakeGitHub + "}", kind: DefaultLiteral, reason: rGitHub, secret: fakeGitHub},
		{name: "plain default under innocent name", key: "LOG_LEVEL", raw: "${LOG_LEVEL:-info}", kind: None},
		{name: "mattermost datasource interpolated", key: "MM_SQLSETTINGS_DATASOURCE", raw: "postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@postgres:5432/mattermost?sslmode=disable", kind: Interpolated, reason: reasonURL, vars: []string{"POSTGRES_PASSWORD"}},
		{name: "url password default literal", key: "DATABASE_URL", raw: "postgres://app:${DB_PW:-devpass}@db/app", kind: DefaultLiteral, reason: reasonURL, secret: "devpass"},
		{name: "url interpolated user literal password", key: "DATABASE_URL", raw: "postgres://${DB_USER}:hunter2@db/app", kind: Literal, reason: reasonURL, secret: "postgres://${DB_USER}:hunter2@db/app"},
		{name: "mixed text under secret name", key: "DB_PASSWORD", raw: "prefix${SUFFIX}", kind: Interpolated, vars: []string{"SUFFIX"}},
		{name: "mixed text under innocent name", key: "GREETING", raw: "hello ${NAME}", kind: None},
		{name: "token in the literal part of a mixed value", key: "HEADER", raw: "token " + fakeGitHub + " for ${USER}", kind: Literal, reason: rGitHub},
		{name: "neo4j auth interpolated password", key: "NEO4J_AUTH", raw: "neo4j/${NEO4J_PASSWORD}", kind: Interpolated, vars: []string{"NEO4J_PASSWORD"}},
		{name: "mysql pwd interpolated", key: "MYSQL_PWD", raw: "${MYSQL_PWD}", kind: Interpolated},
		{name: "host pwd from shell PWD", key: "HOST_PWD", raw: "${PWD}", kind: None},
		{name: "escaped dollars are not interpolation", key: "TRAEFIK_HTPASSWD", raw: "admin:$$apr1$$H6uskkkW$$IgXLP6ewTrSuBkTrqE8wj/", kind: Literal, reason: rPassword},
		{name: "NotSecretNames drops interpolation", key: "POSTGRES_PASSWORD", raw: "${POSTGRES_PASSWORD}", hints: Hints{NotSecretNames: []string{"postgres_password"}}, kind: None},
		{name: "mixed default under secret name", key: "DB_PASSWORD", raw: "${DB_PASSWORD:-pre${X}}", kind: Interpolated, vars: []string{"DB_PASSWORD", "X"}},
		// A literal with a `$` compose reads as a variable: the "variables"
		// are pieces of the secret (vaultwarden's argon2 ADMIN_TOKEN).
		{name: "argon2 hash with single dollars", key: "ADMIN_TOKEN", raw: "$argon2id$v=19$m=65540,t=3,p=4$MmeKRnGK5RW5mJS7h3TOL89GrpLPXJPAtTK8FTqj9HM$DqsstvoSAETl9Y4zJrdE/Bcie/o71BQ6AeFSqVJSKmQ", kind: Literal, stray: true},
		{name: "password with a stray dollar", key: "DB_PASSWORD", raw: "P4ss$word1", kind: Literal, reason: rPassword + reasonStrayDollars, stray: true},
		{name: "two bare references", key: "DB_PASSWORD", raw: "$A$B", kind: Interpolated, vars: []string{"A", "B"}},
		{name: "bare references joined by punctuation", key: "DB_CREDENTIALS", raw: "$DB_USER:$DB_PASS", kind: Interpolated, vars: []string{"DB_USER", "DB_PASS"}},

		// ---- hints ----
		{name: "SecretNames hint overrides _USER", key: "SURREAL_USER", raw: "root", hints: Hints{SecretNames: []string{"surreal_user"}}, kind: Literal, reason: rHint},
		{name: "SecretNames hint for unknown name", key: "CUSTOM_THING", raw: "value", hints: Hints{SecretNames: []string{"CUSTOM_THING"}}, kind: Literal, reason: rHint},
		{name: "SecretNames hint interpolated", key: "CUSTOM_THING", raw: "${X}", hints: Hints{SecretNames: []string{"CUSTOM_THING"}}, kind: Interpolated, reason: rHint},
		{name: "NotSecretNames hint literal", key: "POSTGRES_PASSWORD", raw: "example", hints: Hints{NotSecretNames: []string{"POSTGRES_PASSWORD"}}, kind: None},

		// ---- false positives: _FILE ----
		{name: "postgres _FILE", key: "POSTGRES_PASSWORD_FILE", raw: "/run/secrets/postgres-passwd", kind: None},
		{name: "grafana __FILE", key: "GF_SECURITY_ADMIN_PASSWORD__FILE", raw: "/run/secrets/admin", kind: None},
		{name: "minio bare name _FILE", key: "MINIO_ROOT_PASSWORD_FILE", raw: "secret_key", kind: None},
		{name: "pihole _FILE holds a name", key: "WEBPASSWORD_FILE", raw: "pihole_webpw", kind: None},
		{name: "gitea __FILE", key: "GITEA__database__PASSWD__FILE", raw: "/run/secrets/db", kind: None},
		{name: "mongo-express tls key file", key: "ME_CONFIG_MONGODB_TLS_CERT_KEY_FILE", raw: "/certs/key.pem", kind: None},
		{name: "bitnami tls key file", key: "POSTGRESQL_TLS_KEY_FILE", raw: "/opt/bitnami/certs/tls.key", kind: None},
		{name: "_FILE wins over value formats", key: "GH_TOKEN_FILE", raw: fakeGitHub, kind: None},
		{name: "_FILE interpolated", key: "DB_PASSWORD_FILE", raw: "${DB_PASSWORD_FILE}", kind: None},

		// ---- false positives: paths and file names ----
		{name: "htpasswd path", key: "REGISTRY_AUTH_HTPASSWD_PATH", raw: "/auth/htpasswd", kind: None},
		{name: "htpasswd realm", key: "REGISTRY_AUTH_HTPASSWD_REALM", raw: "Registry Realm", kind: None},
		{name: "neo4j auth path", key: "NEO4J_AUTH_PATH", raw: "/run/secrets/neo4j", kind: None},
		{name: "passfile path", key: "POSTGRESQL_REPLICATION_PASSFILE_PATH", raw: "/opt/bitnami/passfile", kind: None},
		{name: "mattermost key path", key: "KEY_PATH", raw: "./volumes/web/cert/key-no-password.pem", kind: None},
		{name: "ssl key path", key: "ME_CONFIG_SITE_SSL_KEY_PATH", raw: "/etc/ssl/key.pem", kind: None},
		{name: "secrets dir", key: "SECRETS_DIR", raw: "/run/secrets", kind: None},
		{name: "kafka keystore credentials file name", key: "KAFKA_SSL_KEYSTORE_CREDENTIALS", raw: "kafka_keystore_creds", kind: None},
		{name: "kafka key credentials file name", key: "KAFKA_SSL_KEY_CREDENTIALS", raw: "kafka_ssl_key_creds", kind: None},
		{name: "kafka keystore filename", key: "KAFKA_SSL_KEYSTORE_FILENAME", raw: "kafka.keystore.jks", kind: None},
		{name: "tls key as bare file name", key: "TLS_KEY", raw: "server.key", kind: None},
		{name: "google credentials path", key: "GOOGLE_APPLICATION_CREDENTIALS", raw: "/secrets/gcp.json", kind: None},
		{name: "password as a relative path", key: "DB_PASSWORD", raw: "../secrets/db.txt", kind: None},
		{name: "mysql pwd path", key: "MYSQL_PWD", raw: "/var/lib/mysql", kind: None},

		// ---- false positives: flags, policy, lifetimes ----
		{name: "mysql allow empty", key: "MYSQL_ALLOW_EMPTY_PASSWORD", raw: "yes", kind: None},
		{name: "mysql random root", key: "MYSQL_RANDOM_ROOT_PASSWORD", raw: "1", kind: None},
		{name: "mysql onetime", key: "MYSQL_ONETIME_PASSWORD", raw: "yes", kind: None},
		{name: "mariadb allow empty root", key: "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", raw: "1", kind: None},
		{name: "mariadb random root non-bool", key: "MARIADB_RANDOM_ROOT_PASSWORD", raw: "please", kind: None},
		{name: "bitnami allow empty", key: "ALLOW_EMPTY_PASSWORD", raw: "yes", kind: None},
		{name: "bitnami use passfile", key: "POSTGRESQL_REPLICATION_USE_PASSFILE", raw: "no", kind: None},
		{name: "joomla allow empty suffix", key: "JOOMLA_DB_PASSWORD_ALLOW_EMPTY", raw: "1", kind: None},
		{name: "oracle random password", key: "ORACLE_RANDOM_PASSWORD", raw: "true", kind: None},
		{name: "weaviate apikey enabled", key: "AUTHENTICATION_APIKEY_ENABLED", raw: "true", kind: None},
		{name: "weaviate apikey users", key: "AUTHENTICATION_APIKEY_USERS", raw: "jane@doe.com", kind: None},
		{name: "boolean under a secret name", key: "REDIS_PASSWORD", raw: "FALSE", kind: None},
		{name: "on under a secret name", key: "SECRET", raw: "On", kind: None},
		{name: "host auth method", key: "POSTGRES_HOST_AUTH_METHOD", raw: "trust", kind: None},
		{name: "password encryption", key: "POSTGRESQL_PASSWORD_ENCRYPTION", raw: "scram-sha-256", kind: None},
		{name: "smtp auth method", key: "SMTP_AUTH_METHOD_NAME", raw: "plain", kind: None},
		{name: "gotrue min length", key: "GOTRUE_PASSWORD_MIN_LENGTH", raw: "10", kind: None},
		{name: "password max length", key: "PASSWORD_MAX_LENGTH", raw: "64", kind: None},
		{name: "password require uppercase", key: "PASSWORD_REQUIRE_UPPERCASE", raw: "true", kind: None},
		{name: "access token ttl", key: "ACCESS_TOKEN_TTL", raw: "900", kind: None},
		{name: "refresh token ttl days", key: "REFRESH_TOKEN_TTL_DAYS", raw: "30", kind: None},
		{name: "jwt expiration", key: "JWT_EXPIRATION", raw: "3600", kind: None},
		{name: "jwt secret expiry", key: "JWT_SECRET_EXPIRY", raw: "7d", kind: None},
		{name: "jwt issuer", key: "JWT_ISSUER", raw: "https://auth.example.com", kind: None},
		{name: "jwt token audience", key: "JWT_TOKEN_AUDIENCE", raw: "api", kind: None},
		{name: "duration under token name", key: "SESSION_TOKEN_REFRESH", raw: "15m", kind: None},
		{name: "number under non-last keyword", key: "PASSWORD_HASH_ROUNDS_X", raw: "3600", kind: None},
		{name: "max tokens number", key: "OPENAI_MAX_TOKENS", raw: "4096", kind: None},
		{name: "number under token name", key: "API_TOKEN", raw: "3600", kind: None},

		// ---- false positives: identifiers, users, addresses ----
		{name: "grafana access key id", key: "GF_AWS_default_ACCESS_KEY_ID", raw: "someid", kind: None},
		{name: "registry accesskey id", key: "REGISTRY_STORAGE_S3_ACCESSKEY_ID", raw: "someid", kind: None},
		{name: "aws doc example key id", key: "AWS_ACCESS_KEY_ID", raw: fakeAWSDoc, kind: None},
		{name: "client id", key: "OAUTH_CLIENT_ID", raw: "my-client", kind: None},
		{name: "kafka cluster id", key: "CLUSTER_ID", raw: "5L6g3nShT-eMCtK--X86sw", kind: None},
		{name: "credentials id", key: "JENKINS_CREDENTIALS_ID", raw: "github-creds", kind: None},
		{name: "keycloak admin username", key: "KC_BOOTSTRAP_ADMIN_USERNAME", raw: "admin", kind: None},
		{name: "postgres user", key: "POSTGRES_USER", raw: "postgres", kind: None},
		{name: "token url", key: "OAUTH_TOKEN_URL", raw: "https://idp.example.com/token", kind: None},
		{name: "api endpoint", key: "OPENAI_API_ENDPOINT", raw: "https://api.openai.com", kind: None},
		{name: "secret manager host", key: "SECRET_MANAGER_HOST", raw: "vault", kind: None},
		{name: "database url no creds", key: "DATABASE_URL", raw: "postgres://db:5432/app", kind: None},
		{name: "url user only", key: "DATABASE_URL", raw: "postgres://user@db:5432/app", kind: None},
		{name: "url empty password", key: "DATABASE_URL", raw: "postgres://user:@db:5432/app", kind: None},
		{name: "url placeholder password", key: "DATABASE_URL", raw: "postgres://user:<password>@db:5432/app", kind: None},
		{name: "url host:port then path with @", key: "PROFILE_URL", raw: "https://mastodon.example:8443/@alice", kind: None},
		{name: "keycloak db url", key: "KC_DB_URL", raw: "jdbc:postgresql://postgres/keycloak", kind: None},
		{name: "public key", key: "JWT_PUBLIC_KEY", raw: "MIIBIjANBgkq", kind: None},
		{name: "ssh authorized keys", key: "SSH_AUTHORIZED_KEYS", raw: "ssh-ed25519 AAAAC3Nza", kind: None},
		{name: "primary key", key: "DB_PRIMARY_KEY", raw: "uuid", kind: None},
		{name: "tokenizer", key: "HF_TOKENIZERS_PARALLELISM", raw: "maybe", kind: None},
		{name: "csrf token", key: "CSRF_TOKEN", raw: "abc", kind: None},
		{name: "secret name", key: "DOCKER_SECRET_NAME", raw: "db_password", kind: None},

		// ---- values that cannot be secrets, whatever the name (issue 14) ----
		{name: "rate default", key: "API_KEY_RATE_LIMIT", raw: "${API_KEY_RATE_LIMIT:-60/minute}", kind: None},
		{name: "rate literal", key: "API_KEY", raw: "100/s", kind: None},
		{name: "rate limit name, interpolated", key: "API_KEY_RATE_LIMIT", raw: "${LIMIT}", kind: None},
		{name: "rate per", key: "SECRET_KEY", raw: "5 per hour", kind: None},
		{name: "bare openai prefix", key: "OPENAI_API_KEY", raw: "sk-", kind: None},
		{name: "bare stripe prefix", key: "STRIPE_SECRET_KEY", raw: "sk_live_", kind: None},
		{name: "punctuation only", key: "SECRET_KEY", raw: "---", kind: None},
		{name: "one dash", key: "DB_PASSWORD", raw: "-", kind: None},
		{name: "false under a secret name", key: "SECRET_KEY", raw: "false", kind: None},
		{name: "duration under a token name", key: "TOKEN", raw: "15m", kind: None},
		// still secrets: a real key after the prefix, a password with a slash
		{name: "prefix with a key", key: "OPENAI_API_KEY", raw: "sk-abc123def456ghi789", kind: Literal},
		{name: "slash password", key: "DB_PASSWORD", raw: "pa/ss", kind: Literal},
		{name: "punctuation in a password", key: "DB_PASSWORD", raw: "-a-", kind: Literal},
		{name: "rate-like with a word unit", key: "DB_PASSWORD", raw: "60/banana", kind: Literal},
		// ---- false positives: PWD, AUTH sentinel, empty, placeholders ----
		{name: "shell PWD", key: "PWD", raw: "projectdir", kind: None},
		{name: "shell OLDPWD", key: "OLDPWD", raw: "olddir", kind: None},
		{name: "host pwd dir", key: "HOST_PWD_DIR", raw: "data", kind: None},
		{name: "neo4j auth none", key: "NEO4J_AUTH", raw: "none", kind: None},
		{name: "smtp auth word", key: "SMTP_AUTH", raw: "login", kind: None},
		{name: "registry auth htpasswd", key: "REGISTRY_AUTH", raw: "htpasswd", kind: None},
		{name: "empty value", key: "POSTGRES_PASSWORD", raw: "", kind: None},
		{name: "blank value", key: "POSTGRES_PASSWORD", raw: "   ", kind: None},
		{name: "angle placeholder", key: "DB_PASSWORD", raw: "<your-password>", kind: None},
		{name: "asterisks", key: "DB_PASSWORD", raw: "******", kind: None},
		{name: "x placeholder", key: "API_KEY", raw: "xxxxxxxx", kind: None},
		{name: "template placeholder", key: "API_KEY", raw: "{{ .Values.apiKey }}", kind: None},
		{name: "null sentinel", key: "API_KEY", raw: "null", kind: None},
		{name: "innocent name and value", key: "TZ", raw: "Europe/Berlin", kind: None},
		{name: "low-entropy github-like token", key: "EXAMPLE", raw: lowEntropyGH, kind: None},

		// ---- keyword in the middle of a setting's name (corpus review) ----
		{name: "confluent secret provider class", key: "CONNECT_CONFIG_PROVIDERS_SECRET_CLASS", raw: "io.confluent.connect.secretregistry.rbac.config.provider.InternalSecretConfigProvider", kind: None},
		{name: "secret provider bootstrap servers", key: "CONNECT_CONFIG_PROVIDERS_SECRET_PARAM_KAFKASTORE_BOOTSTRAP_SERVERS", raw: "broker:9095", kind: None},
		{name: "secret provider security protocol", key: "CONNECT_CONFIG_PROVIDERS_SECRET_PARAM_KAFKASTORE_SECURITY_PROTOCOL", raw: "SASL_PLAINTEXT", kind: None},
		{name: "secret provider sasl mechanism", key: "CONNECT_CONFIG_PROVIDERS_SECRET_PARAM_KAFKASTORE_SASL_MECHANISM", raw: "OAUTHBEARER", kind: None},
		{name: "secret provider callback handler class", key: "CONNECT_CONFIG_PROVIDERS_SECRET_PARAM_KAFKASTORE_SASL_LOGIN_CALLBACK_HANDLER_CLASS", raw: "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler", kind: None},
		{name: "bearer auth credentials source", key: "KSQL_KSQL_SCHEMA_REGISTRY_BEARER_AUTH_CREDENTIALS_SOURCE", raw: "OAUTHBEARER", kind: None},
		{name: "credentials source interpolated", key: "CONNECT_VALUE_CONVERTER_BASIC_AUTH_CREDENTIALS_SOURCE", raw: "$BASIC_AUTH_CREDENTIALS_SOURCE", kind: None},
		{name: "hemmelig forced language", key: "SECRET_FORCED_LANGUAGE", raw: "en", kind: None},
		{name: "registry token service", key: "REGISTRY_AUTH_TOKEN_SERVICE", raw: "container_registry", kind: None},
		{name: "registry token service interpolated", key: "REGISTRY_AUTH_TOKEN_SERVICE", raw: "${EXTERNAL_IP}:${REGISTRY_PORT}", kind: None},
		{name: "token before a non-secret tail", key: "API_TOKEN_OWNER", raw: "alice", kind: None},
		{name: "secret before a non-secret tail interpolated", key: "SECRET_PARAM_TOPIC", raw: "${TOPIC}", kind: None},
		{name: "secret provider master key kept", key: "CONNECT_CONFIG_PROVIDERS_SECRET_PARAM_MASTER_ENCRYPTION_KEY", raw: "password1234", kind: Literal, reason: rSecret},
		{name: "secret provider truststore password kept", key: "CONNECT_CONFIG_PROVIDERS_SECRET_PARAM_KAFKASTORE_SSL_TRUSTSTORE_PASSWORD", raw: "confluent", kind: Literal, reason: rPassword},
		{name: "grafana secret key kept", key: "GF_SECURITY_SECRET_KEY", raw: "SW2YcwTIb9zpOOhoPsMm", kind: Literal, reason: rSecret},
		{name: "minio kms secret key kept", key: "MINIO_KMS_SECRET_KEY", raw: "my-minio-key:abc", kind: Literal, reason: rSecret},
		{name: "nextcloud s3 secret kept", key: "OBJECTSTORE_S3_SECRET", raw: "s3secret", kind: Literal, reason: rSecret},
		{name: "gitlab secrets key base kept", key: "GITLAB_SECRETS_OTP_KEY_BASE", raw: "long-and-random-alphanumeric-string", kind: Literal, reason: rSecret},
		{name: "token value tail kept", key: "API_TOKEN_VALUE", raw: "abcdef123", kind: Literal, reason: rToken},
		{name: "numbered secret kept", key: "JWT_SECRET_2", raw: "second-secret", kind: Literal, reason: rSecret},
		{name: "versioned token kept", key: "API_TOKEN_V2", raw: "t0ken-v2", kind: Literal, reason: rToken},
		{name: "secret before a tail kept interpolated", key: "AUTHENTIK_SECRET_KEY", raw: "${AUTHENTIK_SECRET_KEY:-authentiksupersecretkey}", kind: DefaultLiteral, reason: rSecret},

		// ---- OAuth client key is an identifier ----
		{name: "opengist oidc client key", key: "OG_OIDC_CLIENT_KEY", raw: "${OG_OIDC_CLIENT_KEY:-mykey}", kind: None},
		{name: "oauth2 client key literal", key: "OAUTH2_CLIENT_KEY", raw: "my-client", kind: None},
		{name: "oidc clientkey glued", key: "OIDC_CLIENTKEY", raw: "my-client", kind: None},
		{name: "opengist oidc secret kept", key: "OG_OIDC_SECRET", raw: "${OG_OIDC_SECRET:-mysecret}", kind: DefaultLiteral, reason: rSecret, secret: "mysecret"},
		{name: "tls client key stays a key", key: "ETCD_CLIENT_KEY", raw: "abcdef123", kind: Literal, reason: rKey},
		{name: "tls client key path", key: "ETCD_CLIENT_KEY", raw: "certs/client.key", kind: None},

		// ---- values: relative paths, sentinels ----
		{name: "relative key path with directory", key: "ELASTICSEARCH_SSL_KEY", raw: "certs/elastic.key.pem", kind: None},
		{name: "relative pem path under config", key: "TLS_KEY", raw: "config/x.pem", kind: None},
		{name: "symfony param path", key: "JWT_SECRET_KEY", raw: "%kernel.project_dir%/config/jwt/private.pem", kind: None},
		{name: "slash without file extension is no path", key: "SECRET_KEY", raw: "abc/def", kind: Literal},
		{name: "invalid sentinel", key: "API_KEY", raw: "invalid", kind: None},
		{name: "mailcow invalid default", key: "API_KEY", raw: "${API_KEY:-invalid}", kind: Interpolated, vars: []string{"API_KEY"}},

		// ---- redis client password variables ----
		{name: "rediscli auth", key: "REDISCLI_AUTH", raw: "bitnami", kind: Literal, reason: rPassword},
		{name: "redis auth", key: "REDIS_AUTH", raw: "s3cret", kind: Literal, reason: rPassword},
		{name: "redis auth digits", key: "REDIS_AUTH", raw: "123456", kind: Literal, reason: rPassword},
		{name: "redis auth interpolated", key: "REDIS_AUTH", raw: "${REDIS_PASSWORD}", kind: Interpolated},
		{name: "redis auth switch", key: "REDIS_AUTH", raw: "yes", kind: None},

		// ---- config blobs filled from the environment ----
		{name: "jaas interpolated password", key: "KAFKA_SASL_JAAS_CONFIG", raw: `org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${KAFKA_PASSWORD}";`, kind: Interpolated, reason: reasonInline, vars: []string{"KAFKA_PASSWORD"}},
		{name: "jaas oauth interpolated client secret", key: "CONNECT_CONFIG_PROVIDERS_SECRET_PARAM_KAFKASTORE_SASL_JAAS_CONFIG", raw: "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required \\\n clientId=\"$CONNECT_CLIENT_ID\" \\\n clientSecret=\"$CONNECT_CLIENT_SECRET\";\n", kind: Interpolated, vars: []string{"CONNECT_CLIENT_SECRET"}},
		{name: "jaas interpolated user only", key: "KAFKA_SASL_JAAS_CONFIG", raw: `org.apache.kafka.common.security.plain.PlainLoginModule required username="${KAFKA_USER}";`, kind: None},

		// ---- digit-only tokens ----
		{name: "browserless digit token", key: "TOKEN", raw: "1234567890", kind: Literal, reason: rToken},
		{name: "digit secret", key: "SESSION_SECRET", raw: "12345678", kind: Literal, reason: rSecret},
		{name: "digit api key", key: "API_KEY", raw: "98765432", kind: Literal, reason: rAPIKey},
		{name: "short digit token", key: "TOKEN", raw: "1234567", kind: None},
		{name: "digit token not last", key: "TOKEN_REFRESH", raw: "86400000", kind: None},
		{name: "digit token ttl", key: "ACCESS_TOKEN_TTL", raw: "86400000", kind: None},
		{name: "digit generic key", key: "ENCRYPTION_KEY", raw: "12345678", kind: None},
	}
}

func TestCheck(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range checkCases() {
		if seen[c.name] {
			t.Fatalf("duplicate case name %q", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			v := Check(c.key, c.raw, c.hints)
			if v.Kind != c.kind {
				t.Fatalf("Check(%q, %q): kind %v (%q), want %v", c.key, c.raw, v.Kind, v.Reason, c.kind)
			}
			if c.reason != "" && v.Reason != c.reason {
				t.Errorf("reason %q, want %q", v.Reason, c.reason)
			}
			switch v.Kind {
			case None:
				if v.Reason != "" || v.Secret != "" || v.Vars != nil {
					t.Errorf("None verdict carries data: %+v", v)
				}
			case Literal:
				if v.Secret != c.raw {
					t.Errorf("literal secret %q, want the whole raw value", v.Secret)
				}
			case DefaultLiteral:
				if c.secret != "" && v.Secret != c.secret {
					t.Errorf("secret %q, want %q", v.Secret, c.secret)
				}
			case Interpolated:
				if v.Secret != "" || len(v.Vars) == 0 {
					t.Errorf("interpolated verdict: %+v", v)
				}
			}
			if c.secret != "" && v.Secret != c.secret {
				t.Errorf("secret %q, want %q", v.Secret, c.secret)
			}
			if v.StrayDollars != c.stray {
				t.Errorf("StrayDollars %v, want %v", v.StrayDollars, c.stray)
			}
			if c.vars != nil && !slices.Equal(v.Vars, c.vars) {
				t.Errorf("vars %q, want %q", v.Vars, c.vars)
			}
			if v.Kind != None && v.Reason == "" {
				t.Errorf("empty reason")
			}
		})
	}
	if len(seen) < 80 {
		t.Fatalf("only %d cases", len(seen))
	}
}

func TestIsSecretName(t *testing.T) {
	yes := []string{"POSTGRES_PASSWORD", "RABBITMQ_DEFAULT_PASS", "mail__options__auth__pass", "MYSQL_PWD",
		"ORACLE_PWD", "COUCHDB_ERLANG_COOKIE", "WORDPRESS_AUTH_SALT", "XPACK_REPORTING_ENCRYPTIONKEY",
		"COHERE_APIKEY", "N8N_ENCRYPTION_KEY", "NEO4J_AUTH", "VAULT_DEV_ROOT_TOKEN_ID", "CONSUL_HTTP_TOKEN",
		"GITEA__mailer__PASSWD", "MINIO_KMS_SECRET_KEY", "ssh_private_key", "CF_DNS_API_TOKEN", "api-key",
		"CREDENTIALS_OVERWRITE_DATA", "PASSWORD", "REDISCLI_AUTH", "REDIS_AUTH", "GITLAB_SECRETS_OTP_KEY_BASE",
		"AWS_SECRET_ACCESS_KEY", "JWT_SECRET_2", "CONNECT_CONFIG_PROVIDERS_SECRET_PARAM_MASTER_ENCRYPTION_KEY",
		"GF_SECURITY_SECRET_KEY", "SECRET_KEY_BASE", "OBJECTSTORE_S3_SECRET", "DOCKER_TLS_CLIENT_KEY"}
	no := []string{"PWD", "OLDPWD", "HOST_PWD_DIR", "POSTGRES_PASSWORD_FILE", "GF_SECURITY_ADMIN_PASSWORD__FILE",
		"DATABASE_URL", "MM_SQLSETTINGS_DATASOURCE", "AWS_ACCESS_KEY_ID", "POSTGRES_HOST_AUTH_METHOD",
		"KAFKA_SSL_TRUSTSTORE_CREDENTIALS", "MYSQL_ALLOW_EMPTY_PASSWORD", "JWT_ISSUER", "POSTGRES_USER",
		"TZ", "KEYCLOAK_ADMIN", "BYPASS", "COMPASS_URL", "MONKEY", "", "___",
		"CONNECT_CONFIG_PROVIDERS_SECRET_CLASS", "CONNECT_CONFIG_PROVIDERS_SECRET_PARAM_KAFKASTORE_BOOTSTRAP_SERVERS",
		"CONNECT_CONFIG_PROVIDERS_SECRET_PARAM_KAFKASTORE_SECURITY_PROTOCOL", "CONNECT_CONFIG_PROVIDERS_SECRET_PARAM_KAFKASTORE_SASL_MECHANISM",
		"CONNECT_CONFIG_PROVIDERS_SECRET_PARAM_KAFKASTORE_SASL_LOGIN_CALLBACK_HANDLER_CLASS",
		"CONTROL_CENTER_SCHEMA_REGISTRY_BEARER_AUTH_CREDENTIALS_SOURCE", "SECRET_FORCED_LANGUAGE", "REGISTRY_AUTH_TOKEN_SERVICE",
		"OG_OIDC_CLIENT_KEY", "OAUTH_CLIENTKEY", "API_TOKEN_OWNER", "TOKEN_PROVIDERS", "SECRET_SCOPE"}
	for _, n := range yes {
		if !IsSecretName(n) {
			t.Errorf("IsSecretName(%q) = false, want true", n)
		}
	}
	for _, n := range no {
		if IsSecretName(n) {
			t.Errorf("IsSecretName(%q) = true, want false", n)
		}
	}
}

func TestUnescape(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"pa$$word", "pa$word"},
		{"$$$$", "$$"},
		{"$$$", "$$"},
		{"a$b", "a$b"},
		{"$${VAR}", "${VAR}"},
		{"admin:$$apr1$$x", "admin:$apr1$x"},
	} {
		if got := Unescape(c.in); got != c.want {
			t.Errorf("Unescape(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{None: "none", Literal: "literal", DefaultLiteral: "default-literal", Interpolated: "interpolated"} {
		if k.String() != want {
			t.Errorf("%d.String() = %q", k, k.String())
		}
	}
}

func TestCheckMalformedAndNested(t *testing.T) {
	for _, raw := range []string{"${", "${}", "${A:-", "x${1}", "${A:-${}}", "pre${A:-x"} {
		if v := Check("TOKEN", raw, Hints{}); v.Kind != None {
			t.Errorf("Check(TOKEN, %q) = %+v, want None (invalid template)", raw, v)
		}
	}
	// A lone $ not followed by a name or brace is literal text for compose.
	for _, raw := range []string{"abc$", "$1abc", "pa$ word"} {
		if v := Check("PASSWORD", raw, Hints{}); v.Kind != Literal {
			t.Errorf("Check(PASSWORD, %q) = %+v, want Literal", raw, v)
		}
	}
	v := Check("X", "pre${A:-pre${B:-"+fakeGitHub+"}}", Hints{})
	if v.Kind != DefaultLiteral || v.Secret != fakeGitHub || !slices.Equal(v.Vars, []string{"A", "B"}) {
		t.Errorf("nested mixed default: %+v", v)
	}
	// A URL that only exists inside a default is a DefaultLiteral, never a
	// Literal of the whole value.
	for _, raw := range []string{"${A:-postgres://u:p@h}/x", "x${A:-a://u:p@h}"} {
		v := Check("X", raw, Hints{})
		if v.Kind != DefaultLiteral || v.Reason != reasonURL || !slices.Equal(v.Vars, []string{"A"}) {
			t.Errorf("Check(X, %q) = %+v, want DefaultLiteral url", raw, v)
		}
	}
	v = Check("X", "${A:-postgres://u:p@h/db}", Hints{})
	if v.Kind != DefaultLiteral || v.Reason != reasonURL || v.Secret != "postgres://u:p@h/db" {
		t.Errorf("url default: %+v", v)
	}
}
