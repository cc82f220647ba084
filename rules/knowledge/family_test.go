package knowledge

import (
	"strings"
	"testing"
)

// A family entry matches the repositories one level below its prefixes
// that no entry names; an entry naming one wins.
func TestFamilies(t *testing.T) {
	k := Default()
	for _, tc := range []struct {
		ref, id string
	}{
		{"lscr.io/linuxserver/sonarr:latest", "linuxserver"},
		{"linuxserver/wireguard", "linuxserver"},
		{"ghcr.io/linuxserver/airsonic:10", "linuxserver"},
		{"lscr.io/linuxserver/socket-proxy", "linuxserver-stateless"},
		{"lscr.io/linuxserver/luanti:latest", "linuxserver-luanti"},
		{"lscr.io/linuxserver/a/b", ""},
		{"lscr.io/linuxserver", ""},
		{"example.com/linuxserver/sonarr", ""},
	} {
		m, ok := k.Lookup(tc.ref)
		got := ""
		if ok {
			got = m.Image.ID
		}
		if got != tc.id {
			t.Errorf("Lookup(%q) = %q, want %q", tc.ref, got, tc.id)
		}
	}
	// user entries win over a family
	u := k.With([]Image{{ID: "mine", Images: []string{"lscr.io/linuxserver/sonarr"}}}, nil)
	if m, _ := u.Lookup("lscr.io/linuxserver/sonarr"); m.Image == nil || m.Image.ID != "mine" {
		t.Errorf("user entry does not win over the family: %+v", m.Image)
	}
	if m, _ := u.Lookup("lscr.io/linuxserver/lidarr"); m.Image == nil || m.Image.ID != "linuxserver" {
		t.Errorf("With loses the families: %+v", m.Image)
	}
}

func TestParseNewKeys(t *testing.T) {
	base := "version: 1\nimages:\n- id: x\n  images: [x]\n  stateful: true\n"
	for _, tc := range []struct {
		extra, err string
	}{
		{"  user: \"999:999\"\n", ""},
		{"  user: \"0\"\n", ""},
		{"  user: postgres\n", "user:"},
		{"  user: \"1:\"\n", "user:"},
		{"  families: [lscr.io/linuxserver/]\n", ""},
		{"  families: [lscr.io/linuxserver]\n", "families:"},
		{"  data_paths:\n    - {path: /a, volume_declared: false, covered_by: [/a/data]}\n", ""},
		{"  data_paths:\n    - {path: /a, volume_declared: false, covered_by: [/b/data]}\n", "covered_by"},
		{"  data_paths:\n    - {path: /a, volume_declared: false, secondary: true}\n", "all secondary"},
	} {
		_, err := Parse([]byte(base + tc.extra))
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%q: %v", tc.extra, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: error %v, want one with %q", tc.extra, err, tc.err)
		}
	}
	k, _ := Parse([]byte(base + "  families: [v/]\n- id: y\n  images: [y]\n  stateful: true\n  families: [v/]\n"))
	if k != nil {
		t.Error("a family prefix in two entries is accepted")
	}
}

// The user an image runs as follows its tag's variant.
func TestUserFor(t *testing.T) {
	k := Default()
	for _, tc := range []struct{ ref, want string }{
		{"postgres:16", "999:999"},
		{"postgres:16-alpine", "70:70"},
		{"postgres:16-alpine3.20", "70:70"},
		{"postgres:alpine", "70:70"},
		{"postgres:16-bookworm", "999:999"},
		{"redis:7-alpine", "999:1000"},
		{"ollama/ollama:0.5.7", "0"},
		{"lscr.io/linuxserver/sonarr", "911:911"},
		{"qdrant/qdrant:v1.12.0", ""},
	} {
		m, ok := k.Lookup(tc.ref)
		if !ok {
			t.Fatalf("%s: not known", tc.ref)
		}
		if got := m.Image.UserFor(m.Tag); got != tc.want {
			t.Errorf("%s: user %q, want %q", tc.ref, got, tc.want)
		}
	}
	if _, err := Parse([]byte("version: 1\nimages:\n- id: x\n  images: [x]\n  stateful: true\n  user_variants: [{variant: alpine, user: \"70\"}]\n")); err == nil {
		t.Error("user_variants without user accepted")
	}
}

// Who reads a <VAR>_FILE: root for the docker-library entrypoints that
// read it before gosu, the image's user for the others (mongo drops to
// mongodb first; bitnami runs as 1001), and for mariadb's ubi tags.
func TestFileEnvReader(t *testing.T) {
	k := Default()
	for _, tc := range []struct{ ref, want string }{
		{"postgres:16", "0"},
		{"postgres:16-alpine", "0"},
		{"mysql:8.4", "0"},
		{"mariadb:11.4", "0"},
		{"mariadb:11.4-ubi", ""}, // USER mysql, uid not in the knowledge
		{"mongo:7", "999:999"},
		{"bitnami/postgresql:16", "1001:0"},
		{"elasticsearch:8.15.0", "1000:0"},
	} {
		m, ok := k.Lookup(tc.ref)
		if !ok {
			t.Fatalf("%s: not known", tc.ref)
		}
		if got := m.Image.FileEnvReader(m.Tag); got != tc.want {
			t.Errorf("%s: reader %q, want %q", tc.ref, got, tc.want)
		}
	}
	if _, err := Parse([]byte("version: 1\nimages:\n- id: x\n  images: [x]\n  stateful: true\n  file_env: {supported: true, vars: [A], not_root_variants: [ubi]}\n")); err == nil {
		t.Error("not_root_variants without read_as_root accepted")
	}
}
