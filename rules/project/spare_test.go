package project

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/google/go-cmp/cmp"
)

// inconsistentCases fail compose-go's consistency check; each has
// extensions, which ModelToProject moves in the dict it binds.
var inconsistentCases = map[string]string{
	"undefined volume": `x-common: &c {restart: always}
services:
  db:
    <<: *c
    image: postgres
    x-meta: {team: data}
    volumes: [pgdata:/var/lib/postgresql/data]
    secrets: [pw]
secrets:
  pw: {environment: PW, x-note: kept}
`,
	"a service with no image": `services:
  web:
    environment: {DEBUG: "1"}
    networks: [front]
    x-deploy: {tier: 2}
  db:
    image: postgres
networks:
  front: {}
`,
	"undefined dependency": `services:
  web:
    image: nginx
    depends_on: [api]
x-anything: [1, 2]
`,
	// Not among the reasons mayBeInconsistent knows: loaded again.
	"bad healthcheck": `services:
  web:
    image: nginx
    healthcheck: {test: ["WRONG", "true"]}
`,
}

// TestSpareUncheckedModel: the model a project that fails the consistency
// check is linted from is the one compose-go's own load gives without the
// check, whether it came from the copy kept before the check (spare.go)
// or from a second load.
func TestSpareUncheckedModel(t *testing.T) {
	for name, content := range inconsistentCases {
		t.Run(name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"compose.yaml": content})
			spec := Spec{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}
			fast, fastErr := Load(context.Background(), spec, Options{})
			ref, refErr := LoadReference(context.Background(), spec, Options{})
			if fastErr == nil || refErr == nil {
				t.Fatalf("want a consistency error from both loads, got %v and %v", fastErr, refErr)
			}
			if fastErr.Error() != refErr.Error() {
				t.Errorf("errors differ: fast %v, reference %v", fastErr, refErr)
			}
			if fast == nil || ref == nil || !fast.Partial || !ref.Partial {
				t.Fatalf("want partial models from both, got %v and %v", fast, ref)
			}
			if diff := cmp.Diff(ref.Model, fast.Model, modelOpts...); diff != "" {
				t.Errorf("the unchecked model differs (-reference +fast):\n%s", diff)
			}
		})
	}
}

// TestMayBeInconsistent: the cases above that it knows are found in the
// dict compose-go binds, and a consistent project is not.
func TestMayBeInconsistent(t *testing.T) {
	cases := map[string]bool{
		"undefined volume":        true,
		"a service with no image": true,
		"undefined dependency":    true,
		"bad healthcheck":         false,
		"consistent":              false,
	}
	contents := map[string]string{
		"consistent": "services:\n  db:\n    image: postgres\n    volumes: [pg:/data, ./x:/x]\n    networks: [back]\n    secrets: [pw]\nvolumes: {pg: {}}\nnetworks: {back: {}}\nsecrets: {pw: {file: ./pw}}\n",
	}
	for name, want := range cases {
		content, ok := contents[name]
		if !ok {
			content = inconsistentCases[name]
		}
		dict, err := loader.LoadModelWithContext(context.Background(), types.ConfigDetails{
			WorkingDir:  t.TempDir(),
			ConfigFiles: []types.ConfigFile{{Filename: "compose.yaml", Content: []byte(content)}},
			Environment: map[string]string{},
		}, func(o *loader.Options) { o.SetProjectName("p", true) })
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := mayBeInconsistent(dict); got != want {
			t.Errorf("%s: mayBeInconsistent = %v, want %v", name, got, want)
		}
	}
}
