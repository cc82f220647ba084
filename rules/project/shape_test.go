package project

import (
	"testing"
)

func TestShapeOf(t *testing.T) {
	for _, c := range []struct {
		name, src         string
		compose, services bool
		bare              []string
	}{
		{"compose", "services:\n  db:\n    image: postgres\n  web:\n    environment: {A: b}\n", true, true, []string{"web"}},
		{"volumes only", "volumes:\n  data:\n", true, false, nil},
		{"extension fragment", "x-common: &c\n  restart: always\n", true, false, nil},
		{"legacy v1", "web:\n  build: .\ndb:\n  image: postgres\n", true, false, nil},
		{"legacy v1 overlay", "web:\n  ports: ['80:80']\n", true, false, nil},
		{"misspelt services key", "service:\n  app:\n    image: x\n", true, false, nil},
		{"github workflow", "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n      db:\n        image: postgres\n", false, false, nil},
		{"gitlab ci", "services:\n  - docker:dind\nbuild:\n  image: docker\n  script: [make]\n", true, false, nil},
		{"named workflow", "name: CI\non: [push]\njobs:\n  t:\n    runs-on: x\n", false, false, nil},
		{"name and version only", "version: '3'\nname: app\n", true, false, nil},
		{"drone", "kind: pipeline\nsteps:\n  - name: test\n    image: golang\n", false, false, nil},
		{"empty", "", true, false, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := shapeOf([]byte(c.src))
			if got.compose != c.compose || got.services != c.services || len(got.bare) != len(c.bare) {
				t.Errorf("shape %+v; want compose %v, services %v, bare %v", got, c.compose, c.services, c.bare)
			}
		})
	}
}

// isOverlay: a file whose service-less services the base all defines.
func TestIsOverlay(t *testing.T) {
	base := shapeOf([]byte("services:\n  db:\n    image: postgres\n  web:\n    image: nginx\n"))
	for _, c := range []struct {
		src  string
		want bool
	}{
		{"services:\n  db:\n    environment: {A: b}\n", true},
		{"services:\n  db:\n    image: postgres:17\n", false},                       // runs alone
		{"services:\n  cache:\n    environment: {A: b}\n", false},                   // not the base's
		{"services:\n  db:\n    environment: {}\n  new:\n    image: redis\n", true}, // adds a service too
	} {
		if got := isOverlay(shapeOf([]byte(c.src)), base); got != c.want {
			t.Errorf("%q: overlay %v, want %v", c.src, got, c.want)
		}
	}
}
