package secrets

import "testing"

func TestCheckValue(t *testing.T) {
	cases := []struct {
		name, value, reason string // reason "" means not a secret
	}{
		{"github pat", fakeGitHub, "the value is a github token"},
		{"github fine-grained", fakeGitHubFG, "the value is a github token"},
		{"github oauth", "gh" + "o_" + body(alnum[4:], 36), "the value is a github token"},
		{"gitlab pat", fakeGitLab, "the value is a gitlab token"},
		{"aws key id", fakeAWS, "the value is an aws access key id"},
		{"aws key id in text", "id=" + fakeAWS + ";", "the value is an aws access key id"},
		{"aws doc example", fakeAWSDoc, ""},
		{"slack bot", fakeSlack, "the value is a slack token"},
		{"slack webhook", fakeSlackHook, "the value is a slack webhook url"},
		{"stripe live", fakeStripe, "the value is a stripe key"},
		{"stripe test", fakeStripeT, "the value is a stripe key"},
		{"gcp", fakeGCP, "the value is a google api key"},
		{"openai", fakeOpenAI, "the value is an openai api key"},
		{"anthropic", fakeAnthropic, "the value is an anthropic api key"},
		{"huggingface", fakeHF, "the value is a hugging face token"},
		{"npm", fakeNPM, "the value is an npm token"},
		{"pypi", fakePyPI, "the value is a pypi upload token"},
		{"sendgrid", fakeSendGrid, "the value is a sendgrid api key"},
		{"digitalocean", fakeDO, "the value is a digitalocean token"},
		{"vault", fakeVault, "the value is a vault token"},
		{"grafana", fakeGrafana, "the value is a grafana token"},
		{"twilio", fakeTwilio, "the value is a twilio api key"},
		{"pem block", fakePEM, reasonPrivateKey},
		{"pem header alone", fakePEMHeader, reasonPrivateKey},
		{"public key is fine", "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\n-----END PUBLIC KEY-----", ""},
		{"certificate is fine", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", ""},
		{"jwt", fakeJWT, reasonJWT},
		{"jwt after bearer", "Bearer " + fakeJWT, reasonJWT},
		{"eyJ without structure", "eyJhbGciOiJIUzI1NiJ9", ""},
		{"url creds", "postgres://app:hunter2@db:5432/app", reasonURL},
		{"url creds with @ in password", "mongodb://root:p@ss@mongo:27017", reasonURL},
		{"url creds amid text", "connect to amqp://guest:guest@rabbit:5672/ now", reasonURL},
		{"url interpolated password", "postgres://app:${DB_PASSWORD}@db/app", ""},
		{"url default password is not a literal here", "postgres://app:${DB_PASSWORD:-x}@db/app", ""},
		{"url escaped dollar password", "postgres://app:pa$$w@db/app", reasonURL},
		{"url empty password", "postgres://app:@db/app", ""},
		{"url user only", "postgres://app@db/app", ""},
		{"url no creds", "https://example.com:8443/path?q=1", ""},
		{"url placeholder password", "redis://:<password>@redis:6379", ""},
		{"url redacted password", "redis://user:****@redis:6379", ""},
		{"not a scheme", "://user:pw@host", ""},
		{"host:port@port is no credential", "--mode reverse:https://httpbin.org:443@8443", ""},
		{"ip:port@port is no credential", "http://10.0.0.1:8080@9090", ""},
		{"localhost:port@host", "tcp://localhost:5432@db", ""},
		{"digit password kept", "redis://default:123456@redis:6379", reasonURL},
		{"digit password with host-like user but real host", "postgres://app:12345678@db.example.com/app", reasonURL},
		{"non-digit password with host-like user", "https://httpbin.org:s3cret@8443", reasonURL},
		{"inline relative key path", `ssl_key="certs/server.key"`, ""},
		{"inline double quotes", `username="admin" password="admin-secret";`, reasonInline},
		{"inline ruby", "gitlab_rails['db_password'] = 'dbpass123'", reasonInline},
		{"inline json", `{"token": "abc123def"}`, reasonInline},
		{"inline interpolated", `password="${KAFKA_PASSWORD}"`, ""},
		{"inline placeholder", `password="<changeme>"`, ""},
		{"inline empty", `password=""`, ""},
		{"inline key file", `password_file="/run/secrets/x"`, ""},
		{"plain words", "hello world this is fine", ""},
		{"short", "abc", ""},
		{"empty", "", ""},
		{"low entropy github", lowEntropyGH, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			reason, ok := CheckValue(c.value)
			if ok != (c.reason != "") || reason != c.reason {
				t.Fatalf("CheckValue(%q) = %q, %v; want %q", c.value, reason, ok, c.reason)
			}
		})
	}
}
