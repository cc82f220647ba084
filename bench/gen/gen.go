// Package gen makes synthetic compose projects and lists the shared corpus
// for composure's benchmarks (the *_bench_test.go files and the programs
// under bench/). It is measurement code only: nothing in composure imports
// it.
package gen

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Project returns one compose file with n services in a realistic mix,
// cycling through three kinds:
//
//   - dbN: postgres with a literal POSTGRES_PASSWORD and a named volume,
//     through a `<<: *common` merge key;
//   - cacheN: redis with a password on its command line and no volume;
//   - appN: built locally (build args with a token), an environment list
//     mixing interpolations and a literal secret, ports and depends_on.
//
// Every service merges the x-common anchor. n=1 is a single postgres.
func Project(n int) []byte {
	var b strings.Builder
	b.WriteString(`x-common: &common
  restart: unless-stopped
  logging:
    driver: json-file
    options:
      max-size: "10m"
      max-file: "3"
x-env: &env
  TZ: Europe/Berlin
  LOG_LEVEL: info

services:
`)
	var volumes []string
	for i := 0; i < n; i++ {
		switch i % 3 {
		case 0:
			fmt.Fprintf(&b, `  db%d:
    <<: *common
    image: postgres:16
    environment:
      <<: *env
      POSTGRES_USER: app
      POSTGRES_DB: app
      POSTGRES_PASSWORD: s3cret-pa55word-%d
    volumes:
      - db%d-data:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U app"]
      interval: 10s
      retries: 5
`, i, i, i)
			volumes = append(volumes, fmt.Sprintf("db%d-data", i))
		case 1:
			fmt.Fprintf(&b, `  cache%d:
    <<: *common
    image: redis:7-alpine
    command: redis-server --appendonly yes --requirepass hunter2hunter2-%d
    ports:
      - "%d:6379"
`, i, i, 16000+i)
		case 2:
			fmt.Fprintf(&b, `  app%d:
    <<: *common
    build:
      context: ./app
      args:
        API_TOKEN: tok_%08d_abcdefABCDEF
    image: example/app:${APP_TAG:-latest}
    environment:
      - DATABASE_URL=postgres://app:${DB_PASSWORD:-changeme}@db%d:5432/app
      - SECRET_KEY=${SECRET_KEY}
      - SESSION_SECRET=Zm9vYmFyYmF6cXV4cXV1eA%d
      - PORT=8080
    ports:
      - "%d:8080"
    depends_on:
      - db%d
    deploy:
      replicas: ${APP_REPLICAS:-1}
`, i, i, i-2, i, 20000+i, i-2)
		}
	}
	if len(volumes) > 0 {
		b.WriteString("\nvolumes:\n")
		for _, v := range volumes {
			fmt.Fprintf(&b, "  %s:\n", v)
		}
	}
	return []byte(b.String())
}

// WriteProject writes Project(n) as dir/compose.yaml and returns its path.
func WriteProject(dir string, n int) (string, error) {
	path := filepath.Join(dir, "compose.yaml")
	return path, os.WriteFile(path, Project(n), 0o644)
}

// WriteFiles writes n small projects (three services each) as
// dir/pNNNN/compose.yaml and returns their paths in order.
func WriteFiles(dir string, n int) ([]string, error) {
	var out []string
	for i := 0; i < n; i++ {
		sub := filepath.Join(dir, fmt.Sprintf("p%04d", i))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return nil, err
		}
		path, err := WriteProject(sub, 3)
		if err != nil {
			return nil, err
		}
		out = append(out, path)
	}
	return out, nil
}

// CorpusDir finds the shared corpus's dev folder from a package directory
// (or the repository root): ../shared/corpus/dev relative to the root.
// The COMPOSURE_CORPUS environment variable overrides it.
func CorpusDir() (string, bool) {
	if d := os.Getenv("COMPOSURE_CORPUS"); d != "" {
		st, err := os.Stat(d)
		return d, err == nil && st.IsDir()
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			c := filepath.Join(dir, "..", "shared", "corpus", "dev")
			st, err := os.Stat(c)
			return c, err == nil && st.IsDir()
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// CorpusFiles lists the regular .yml/.yaml files directly in dir, sorted
// by name: every file, whatever its name (directory discovery would skip
// the few without "compose" in the name and no top-level `services:`).
func CorpusFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		name := strings.ToLower(e.Name())
		if e.Type().IsRegular() && (strings.HasSuffix(name, ".yml") || strings.HasSuffix(name, ".yaml")) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}

// CastProbes are compose files whose values sit at every path compose-go's
// interpolation casts to a number or a boolean, written as ${VAR:-default}
// and as quoted literals: on the shared corpus such values are rare, so a
// loader option that drops the casts must be checked on these too. The key
// is a file name.
func CastProbes() map[string][]byte {
	return map[string][]byte{
		"probe-interpolated.compose.yaml": []byte(`services:
  db:
    image: postgres:16
    cpu_count: ${CPU_COUNT:-2}
    cpu_percent: ${CPU_PERCENT:-50}
    cpu_period: ${CPU_PERIOD:-100000}
    cpu_quota: ${CPU_QUOTA:-50000}
    cpu_rt_period: ${CPU_RT_PERIOD:-1000}
    cpu_rt_runtime: ${CPU_RT_RUNTIME:-950}
    cpus: ${CPUS:-0.5}
    cpu_shares: ${CPU_SHARES:-512}
    init: ${INIT:-true}
    oom_kill_disable: ${OOM_KILL_DISABLE:-false}
    oom_score_adj: ${OOM_SCORE_ADJ:-100}
    pids_limit: ${PIDS_LIMIT:-100}
    privileged: ${PRIVILEGED:-false}
    read_only: ${READ_ONLY:-true}
    stdin_open: ${STDIN_OPEN:-true}
    tty: ${TTY:-true}
    ulimits:
      nproc: ${NPROC:-65535}
      nofile:
        soft: ${NOFILE_SOFT:-20000}
        hard: ${NOFILE_HARD:-40000}
    volumes:
      - type: volume
        source: data
        target: /var/lib/postgresql/data
        read_only: ${RO:-false}
        volume:
          nocopy: ${NOCOPY:-true}
    healthcheck:
      test: ["CMD", "true"]
      retries: ${RETRIES:-3}
      disable: ${HC_DISABLE:-false}
    ports:
      - target: ${PORT_TARGET:-80}
        published: "8080"
    depends_on:
      cache:
        condition: service_started
        required: ${REQUIRED:-true}
        restart: ${RESTART:-false}
    networks:
      front:
    deploy:
      replicas: ${REPLICAS:-2}
      update_config:
        parallelism: ${PAR:-2}
        max_failure_ratio: ${MFR:-0.1}
      rollback_config:
        parallelism: ${RPAR:-1}
        max_failure_ratio: ${RMFR:-0.2}
      restart_policy:
        max_attempts: ${MAX_ATTEMPTS:-3}
      placement:
        max_replicas_per_node: ${MRPN:-1}
  cache:
    image: redis:7
    scale: ${SCALE:-2}
networks:
  front:
    internal: ${NET_INTERNAL:-false}
    attachable: ${ATTACHABLE:-true}
    enable_ipv4: ${IPV4:-true}
    enable_ipv6: ${IPV6:-false}
  outside:
    external: ${NET_EXTERNAL:-true}
volumes:
  data:
    external: ${VOL_EXTERNAL:-false}
secrets:
  s:
    external: ${SECRET_EXTERNAL:-true}
configs:
  c:
    external: ${CONFIG_EXTERNAL:-true}
`),
		"probe-quoted.compose.yaml": []byte(`services:
  db:
    image: mysql:8
    init: "true"
    privileged: "false"
    cpus: "1.5"
    pids_limit: "200"
    stdin_open: "yes"
    ulimits:
      nofile: "1024"
    deploy:
      replicas: "3"
    healthcheck:
      test: ["CMD", "true"]
      retries: "5"
`),
		"probe-umask.compose.yaml": []byte(`services:
  app:
    image: nginx
    umask: "077"
  other:
    image: nginx
    umask: ${UMASK:-0o22}
`),
		"probe-network-alias.compose.yaml": []byte(`services:
  app:
    image: nginx
    networks:
      front:
        use_service_name_alias: ${ALIAS:-false}
networks:
  front:
`),
	}
}
