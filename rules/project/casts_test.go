package project

import (
	"testing"

	"github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
)

// TestTypeCastsSameModel: the reduced cast mapping gives the model
// compose-go's full mapping gives, for strings that need a cast (quoted
// literals and interpolated values), in the main file, an override, an
// included file and an extends base. Most casts are forgiven by the
// decoder later; the ulimits shorthand is not, so each case has one: a
// dropped pattern fails the load.
func TestTypeCastsSameModel(t *testing.T) {
	cases := map[string]map[string]string{
		"main file": {
			"compose.yaml": `services:
  db:
    image: postgres:17
    read_only: "true"
    init: ${INIT}
    cpu_count: "2"
    ports:
      - target: "${PORT}"
        published: "5432"
    healthcheck:
      retries: "${RETRIES}"
    deploy:
      replicas: "3"
    ulimits:
      nofile: {soft: "1024", hard: "${HARD}"}
      nproc: "${NPROC}"
volumes:
  data:
    external: "false"
`,
			".env": "INIT=true\nPORT=5432\nRETRIES=4\nHARD=2048\nNPROC=64\n",
		},
		"override": {
			"compose.yaml":          "services:\n  web:\n    image: nginx\n",
			"compose.override.yaml": "services:\n  web:\n    tty: \"${TTY}\"\n    stdin_open: 'true'\n    ulimits: {nproc: '64'}\n",
			".env":                  "TTY=false\n",
		},
		"include": {
			"compose.yaml": "include:\n  - sub/compose.yaml\nservices:\n  web:\n    image: nginx\n",
			"sub/compose.yaml": `services:
  cache:
    image: redis
    privileged: "${PRIV}"
    oom_score_adj: "-500"
    ulimits:
      nofile: "${NOFILE}"
`,
			"sub/.env": "PRIV=false\nNOFILE=1024\n",
		},
		"extends": {
			"compose.yaml": "services:\n  web:\n    extends: {file: base.yaml, service: base}\n",
			"base.yaml":    "services:\n  base:\n    image: nginx\n    scale: \"${SCALE}\"\n    pids_limit: '100'\n    ulimits: {nproc: \"${SCALE}\"}\n",
			".env":         "SCALE=2\n",
		},
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) {
			dir := writeTree(t, files)
			fast, ref, fastErr, refErr := loadBoth(t, dir, mainFiles(files)...)
			if fastErr != nil || refErr != nil {
				t.Fatalf("load: reduced casts %v, full casts %v", fastErr, refErr)
			}
			sameModel(t, fast, ref)
		})
	}
}

// TestTypeCastsReduced: the mapping handed to compose-go keeps the
// patterns whose keys occur and drops the others; an unreadable include
// keeps the whole mapping.
func TestTypeCastsReduced(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"compose.yaml": "services:\n  db:\n    image: postgres\n    read_only: true\n",
	})
	p := &projectLoader{Project: load(t, dir, "compose.yaml")}
	all := map[string]bool{}
	full := fullCastMapping(t)
	reduced := p.typeCasts(full)
	for path := range reduced {
		all[string(path)] = true
	}
	if !all["services.*.read_only"] {
		t.Errorf("services.*.read_only dropped; kept %v", all)
	}
	if all["services.*.cpu_count"] || all["networks.*.external"] {
		t.Errorf("patterns without their keys kept: %v", all)
	}
	if len(reduced) >= len(full) {
		t.Errorf("nothing dropped: %d of %d kept", len(reduced), len(full))
	}

	p.refsMissing = true
	if got := p.typeCasts(full); len(got) != len(full) {
		t.Errorf("with an unread reference, %d of %d patterns kept, want all", len(got), len(full))
	}
}

// fullCastMapping is compose-go's default interpolation cast mapping.
func fullCastMapping(t *testing.T) map[tree.Path]interpolation.Cast {
	t.Helper()
	m := loader.ToOptions(&types.ConfigDetails{}, nil).Interpolate.TypeCastMapping
	if len(m) < 10 {
		t.Fatalf("compose-go's cast mapping has %d patterns", len(m))
	}
	return m
}
