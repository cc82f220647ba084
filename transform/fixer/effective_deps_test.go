package fixer

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/composure-dev/composure/rules/project"
)

// TestReuseThroughEnv: a run's result stands for a new state of its
// shared .env when every variable its load reads resolves the same, and
// is derived again from its model when only what its containers read
// changed (env_file: .env); a change to a variable it interpolates, or
// reads without a value, makes it loaded again. A reused result is what
// a new load gives.
func TestReuseThroughEnv(t *testing.T) {
	dir := t.TempDir()
	env := filepath.Join(dir, ".env")
	if err := os.WriteFile(env, []byte("A=1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const (
		same    = "same"
		derived = "derived"
		load    = "load"
	)
	cases := []struct {
		name, compose string
		appended      string // the .env lines added
		want          string
	}{
		{"interpolates another", "services:\n  web:\n    image: nginx:${A}\n    environment:\n      B: literal\n", "B=2\n", derived},
		{"interpolates it", "services:\n  web:\n    image: nginx:${B:-x}\n", "B=2\n", load},
		{"changes what it reads", "services:\n  web:\n    image: nginx:${A}\n", "A=3\n", load},
		{"entry without a value", "services:\n  web:\n    image: nginx\n    environment:\n      - B\n", "B=2\n", load},
		{"entry without a value, as a map", "services:\n  web:\n    image: nginx\n    environment:\n      B:\n", "B=2\n", load},
		{"build arg without a value", "services:\n  web:\n    build:\n      context: .\n      args:\n        - B\n", "B=2\n", load},
		{"loads .env whole", "services:\n  web:\n    image: nginx\n    env_file: .env\n", "C=2\n", derived},
		{"env file expands a variable", "services:\n  web:\n    image: nginx\n    env_file: .env\n", "C=${A}x\n", derived},
		{"loader variable", "services:\n  web:\n    image: nginx\n", "COMPOSE_PROJECT_NAME=x\n", load},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(dir, "compose.yaml")
			rs := runSpec{spec: project.Spec{Dir: dir, Files: []string{file}}}
			base := map[string][]byte{file: []byte(tc.compose)}
			e, err := evaluate(context.Background(), rs, []string{}, base, false, nil)
			if err != nil {
				t.Fatal(err)
			}
			after := map[string][]byte{file: []byte(tc.compose), env: []byte("A=1\n" + tc.appended)}
			c := &runCheck{}
			got, ok, _ := c.reuse(e, nil, rs, []string{}, after)
			switch {
			case !ok && tc.want != load, ok && tc.want == load:
				t.Fatalf("reused = %v, want %s", ok, tc.want)
			case ok && (got == e) != (tc.want == same):
				t.Fatalf("the result itself = %v, want %s", got == e, tc.want)
			}
			if ok {
				fresh, err := evaluate(context.Background(), rs, []string{}, after, false, nil)
				if err != nil {
					t.Fatal(err)
				}
				if a, b := dump(t, got), dump(t, fresh); a != b {
					t.Errorf("reused:\n%s\nloaded:\n%s", a, b)
				}
			}
			// the same files: the result itself
			if again, ok, _ := c.reuse(e, nil, rs, []string{}, base); !ok || again != e {
				t.Error("the result does not hold for the files it was made from")
			}
		})
	}
}

func dump(t *testing.T, e *effective) string {
	out := map[string]any{}
	for name, c := range e.services {
		out[name] = map[string]any{"values": c.values, "both": c.both, "rest": c.rest}
	}
	b, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestReuseMissingEnvFile: a run that loads but names an env file that
// is not there fails; its result is derived again from its model (the
// same failure) while only the .env changes, and succeeds, as a new load
// does, once the env file is there.
func TestReuseMissingEnvFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "compose.yaml")
	envFile := filepath.Join(dir, "app.env")
	dotEnv := filepath.Join(dir, ".env")
	rs := runSpec{spec: project.Spec{Dir: dir, Files: []string{file}}}
	base := map[string][]byte{file: []byte("services:\n  web:\n    image: nginx:${TAG:-1}\n    env_file: app.env\n")}
	e, err := evaluate(context.Background(), rs, []string{}, base, false, nil)
	if err == nil || e.model == nil {
		t.Fatalf("want a failure with the model kept: %v", err)
	}
	c := &runCheck{}
	unrelated := map[string][]byte{file: base[file], dotEnv: []byte("OTHER=1\n")}
	got, ok, gotErr := c.reuse(e, err, rs, []string{}, unrelated)
	if !ok || gotErr == nil || gotErr.Error() != err.Error() {
		t.Fatalf("a .env change it does not read: reused = %v, err = %v, want %v", ok, gotErr, err)
	}
	if got.services != nil {
		t.Error("a failed result has containers")
	}
	created := map[string][]byte{file: base[file], dotEnv: []byte("OTHER=1\n"), envFile: []byte("X=1\n")}
	got, ok, gotErr = c.reuse(e, err, rs, []string{}, created)
	if !ok || gotErr != nil {
		t.Fatalf("the env file created: reused = %v, err = %v", ok, gotErr)
	}
	fresh, err := evaluate(context.Background(), rs, []string{}, created, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := dump(t, got), dump(t, fresh); a != b {
		t.Errorf("reused:\n%s\nloaded:\n%s", a, b)
	}
	if _, ok, _ := c.reuse(e, err, rs, []string{}, map[string][]byte{file: base[file], dotEnv: []byte("TAG=2\n")}); ok {
		t.Error("a variable the load read changed: reused")
	}
}
