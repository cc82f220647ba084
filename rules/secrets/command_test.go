package secrets

import (
	"slices"
	"testing"
)

func TestCheckCommand(t *testing.T) {
	type hit struct {
		index  int
		secret string
	}
	cases := []struct {
		name string
		args []string
		want []hit
	}{
		{"redis shell string", []string{"redis-server --requirepass foo"}, []hit{{0, "foo"}}},
		{"redis split", []string{"redis-server", "--requirepass", "foo"}, []hit{{2, "foo"}}},
		{"redis equals", []string{"redis-server", "--requirepass=foo"}, []hit{{1, "foo"}}},
		{"redis interpolated", []string{"redis-server", "--requirepass", "${REDIS_PASSWORD}"}, nil},
		{"redis bare var", []string{"redis-server --requirepass $REDIS_PASSWORD"}, nil},
		{"redis escaped shell var", []string{"sh", "-c", "redis-server --requirepass $$REDIS_PASSWORD"}, nil},
		{"redis default literal", []string{"redis-server", "--requirepass", "${REDIS_PASSWORD:-devpass}"}, []hit{{2, "devpass"}}},
		{"redis masterauth", []string{"redis-server --masterauth s3cret --requirepass s3cret"}, []hit{{0, "s3cret"}}},
		{"redis exec form value with space", []string{"redis-server", "--requirepass", "two words"}, []hit{{2, "two words"}}},
		{"quoted value in shell string", []string{`redis-server --requirepass "two words"`}, []hit{{0, "two words"}}},
		{"sh -c nested", []string{"sh", "-c", "redis-server --requirepass 'nested pw'"}, []hit{{2, "nested pw"}}},
		{"redis-cli -a in healthcheck", []string{"CMD", "redis-cli", "-a", "foo", "ping"}, []hit{{3, "foo"}}},
		{"redis-cli askpass is a switch", []string{"redis-cli", "--askpass", "ping"}, nil},
		{"mysqladmin -p glued", []string{"CMD", "mysqladmin", "ping", "-h", "localhost", "-uroot", "-proot"}, []hit{{6, "root"}}},
		{"mysql -p glued shell", []string{"CMD-SHELL", "mysql -uroot -pS3cret -e 'select 1'"}, []hit{{1, "S3cret"}}},
		{"mariadb-admin -p", []string{"mariadb-admin ping -pS3cret"}, []hit{{0, "S3cret"}}},
		{"mysqldump after &&", []string{"sh -c 'sleep 5 && mysqldump -pdumppw db > /backup.sql'"}, []hit{{0, "dumppw"}}},
		{"mysql -p alone prompts", []string{"mysql", "-u", "root", "-p"}, nil},
		{"mysql -p variable", []string{"mysqladmin ping -p$MYSQL_ROOT_PASSWORD"}, nil},
		{"mysql -p quoted variable", []string{`mysqladmin ping -p"${MYSQL_ROOT_PASSWORD}"`}, nil},
		{"-p for other programs is a port", []string{"iperf3", "-s", "-p5201"}, nil},
		{"pg_isready -p port", []string{"pg_isready -U postgres -p 5432"}, nil},
		{"password flag split", []string{"app", "--password", "pw123"}, []hit{{2, "pw123"}}},
		{"password flag equals", []string{"app --password=pw123"}, []hit{{0, "pw123"}}},
		{"surreal --pass", []string{"start", "--user", "root", "--pass", "root", "memory"}, []hit{{4, "root"}}},
		{"typesense api key var", []string{"--data-dir", "/data", "--api-key=$TYPESENSE_API_KEY"}, nil},
		{"typesense api key literal", []string{"--data-dir", "/data", "--api-key=xyz"}, []hit{{2, "xyz"}}},
		{"token flag", []string{"agent --token abc123"}, []hit{{0, "abc123"}}},
		{"cluster password flag", []string{"couchbase-cli cluster-init --cluster-username admin --cluster-password passw0rd"}, []hit{{0, "passw0rd"}}},
		{"client secret flag", []string{"oauth2-proxy", "--client-secret=abcdef"}, []hit{{1, "abcdef"}}},
		{"password-file flag is a path", []string{"app", "--password-file", "/run/secrets/pw"}, nil},
		{"password-stdin is a switch", []string{"docker login --password-stdin -u bob"}, nil},
		{"no-password is a switch", []string{"psql", "--no-password", "mydb"}, nil},
		{"mongod --auth is a switch", []string{"mongod", "--auth", "--bind_ip_all"}, nil},
		{"tls key file", []string{"server", "--tls-key", "server.key"}, nil},
		{"token ttl", []string{"vault", "--token-ttl", "3600"}, nil},
		{"nats route url", []string{"--routes", "nats-route://ruser:T0pS3cr3t@otherdockerhost:6222"}, []hit{{1, "nats-route://ruser:T0pS3cr3t@otherdockerhost:6222"}}},
		{"url in flag value", []string{"app --db=postgres://u:pw@db/app"}, []hit{{0, "postgres://u:pw@db/app"}}},
		{"url interpolated", []string{"app", "--db", "postgres://u:${PW}@db/app"}, nil},
		{"provider token anywhere", []string{"sh", "-c", "echo " + fakeGitHub + " | gh auth login --with-token"}, []hit{{2, fakeGitHub}}},
		{"curl user:pass", []string{"CMD", "curl", "-f", "-u", "elastic:changeme", "http://localhost:9200"}, []hit{{4, "elastic:changeme"}}},
		{"curl user only", []string{"curl", "-u", "elastic", "http://localhost:9200"}, nil},
		{"curl user interpolated", []string{"curl -u elastic:$ELASTIC_PASSWORD http://es:9200"}, nil},
		{"bearer header", []string{"curl", "-H", "Authorization: Bearer abc123def", "http://x"}, []hit{{2, "abc123def"}}},
		{"bearer header var", []string{`curl -H "Authorization: Bearer $TOKEN" http://x`}, nil},
		{"env assignment", []string{"sh", "-c", "PGPASSWORD=secretpw psql -h db -U app"}, []hit{{2, "secretpw"}}},
		{"env assignment innocent", []string{"sh", "-c", "LANG=C.UTF-8 exec app"}, nil},
		{"docker run -e", []string{"docker run -e POSTGRES_PASSWORD=example postgres"}, []hit{{0, "example"}}},
		{"placeholder value", []string{"app", "--password", "<password>"}, nil},
		{"empty equals", []string{"app", "--password="}, nil},
		{"args to the image entrypoint", []string{"--requirepass", "foo"}, []hit{{1, "foo"}}},
		{"args to the image entrypoint, equals", []string{"--api-key=xyz", "--data-dir", "/data"}, []hit{{0, "xyz"}}},
		{"java system property", []string{"java", "-Dspring.datasource.password=s3cret", "-jar", "app.jar"}, []hit{{1, "s3cret"}}},
		{"java system property interpolated", []string{"java -Dspring.datasource.password=${DB_PASSWORD} -jar app.jar"}, nil},
		{"nothing", nil, nil},
		{"plain command", []string{"nginx", "-g", "daemon off;"}, nil},
		{"unterminated quote", []string{`redis-server --requirepass "foo`}, []hit{{0, "foo"}}},
		{"mitmproxy reverse mode is no credential", []string{"mitmdump --mode reverse:https://httpbin.org:443@8443 --flow-detail 4"}, nil},
		{"rediscli auth assignment", []string{"sh", "-c", "REDISCLI_AUTH=s3cret redis-cli ping"}, []hit{{2, "s3cret"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hits := CheckCommand(c.args)
			var got []hit
			for _, h := range hits {
				got = append(got, hit{h.Index, h.Secret})
				if h.Reason == "" {
					t.Errorf("empty reason for %+v", h)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("CheckCommand(%q) = %+v, want %+v", c.args, got, c.want)
			}
		})
	}
}

func TestCheckCommandReasons(t *testing.T) {
	for _, c := range []struct {
		args   []string
		reason string
	}{
		{[]string{"redis-server --requirepass foo"}, "the argument is a literal password"},
		{[]string{"app --api-key=xyz"}, "the argument is a literal api key"},
		{[]string{"app --token xyz"}, "the argument is a literal token"},
		{[]string{"curl -u a:b http://x"}, reasonUserPass},
		{[]string{"app postgres://u:pw@db/app"}, reasonURL},
		{[]string{"sh -c 'PGPASSWORD=xyz psql'"}, "its name marks it as a password"},
	} {
		hits := CheckCommand(c.args)
		if len(hits) != 1 || hits[0].Reason != c.reason {
			t.Errorf("CheckCommand(%q) = %+v, want one hit with reason %q", c.args, hits, c.reason)
		}
	}
}
