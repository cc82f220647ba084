package project

import (
	"testing"

	"github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v4"
)

// TestInterpolateDataSameAsComposeGo: interpolateData gives what
// compose-go's interpolation gives, with compose-go's full cast mapping,
// and declines where compose-go fails.
func TestInterpolateDataSameAsComposeGo(t *testing.T) {
	env := map[string]string{"PORT": "8080", "CPUS": "1.5", "RO": "true", "TAG": "16", "EMPTY": "", "DOT.KEY": "x"}
	details := types.ConfigDetails{Environment: env}
	opts := loader.ToOptions(&details, nil)
	composeGo := *opts.Interpolate
	ours := interpolator{lookup: composeGo.LookupValue, substitute: template.Substitute, casts: newCastTable(composeGo.TypeCastMapping)}
	cases := map[string]struct {
		yaml string
		fail bool
	}{
		"casts": {yaml: `services:
  db:
    image: postgres:${TAG}
    read_only: ${RO}
    cpus: ${CPUS}
    ports:
      - target: 80
        published: ${PORT}
      - "${PORT}:80"
    deploy: {replicas: "${TAG}"}
    environment: {A: "${MISSING:-def}", B: "$$literal", C: "${EMPTY-set}"}
    labels: {com.example.port: "${PORT}"}
    healthcheck: {disable: "${RO}", retries: "3"}
  peer0.org1.example.com:
    image: peer
    read_only: ${RO}
    ports: [{target: 7051, published: "${PORT}"}]
x-top.level: {key: "${PORT}"}
services.extra: {read_only: "${RO}"}
volumes: {data: {external: "${RO}"}}
`},
		"lists and nesting": {yaml: `services:
  web:
    image: nginx
    command: ["--port", "${PORT}", {nested: "${TAG}"}]
    ulimits: {nofile: {soft: "${PORT}", hard: 9000}}
`},
		"nothing to do": {yaml: "services:\n  web:\n    image: nginx\n    ports: [80]\n"},
		"bad cast":      {yaml: "services:\n  web:\n    image: nginx\n    read_only: ${TAG}\n", fail: true},
		"bad template":  {yaml: "services:\n  web:\n    image: ${TAG\n", fail: true},
		"required":      {yaml: "services:\n  web:\n    image: ${NOPE:?set it}\n", fail: true},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var raw map[string]any
			if err := yaml.Unmarshal([]byte(c.yaml), &raw); err != nil {
				t.Fatal(err)
			}
			want, werr := interpolation.Interpolate(raw, composeGo)
			got, ok := ours.interpolateData(raw)
			if c.fail {
				if werr == nil || ok {
					t.Fatalf("want both to fail: compose-go %v, ours ok=%v", werr, ok)
				}
				return
			}
			if werr != nil || !ok {
				t.Fatalf("compose-go %v, ours ok=%v", werr, ok)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-compose-go +ours):\n%s", diff)
			}
		})
	}
	// A mapping with keys that are not strings is compose-go's to refuse.
	if _, ok := ours.interpolateData(map[string]any{"services": map[any]any{1: "x"}}); ok {
		t.Error("a mapping with a number key was interpolated")
	}
}
