package project

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// An unset variable in a port (here the container port of
// ${CALLS_PORT}:${CALLS_PORT}/udp, which comes out as ":/udp") does not
// stop the lint: ports get numeric placeholders, a default in a port is
// kept, and a note names the placeholders.
func TestUnsetPortVariablePlaceholder(t *testing.T) {
	dir := writeTree(t, map[string]string{"compose.yaml": `services:
  m:
    image: x
    ports:
      - ${APP_PORT}:8065
      - ${CALLS_PORT}:${CALLS_PORT}/udp
      - ${BIND_IP:-127.0.0.1}:${WEB_PORT}:80
      - target: ${ADMIN_PORT}
        published: "${ADMIN_PORT}"
    container_name: ${NAME}
`})
	for _, ref := range []bool{false, true} {
		p, err := loadProject(context.Background(), Spec{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}, Options{Environ: []string{}}, ref)
		if err != nil {
			t.Fatalf("reference load %v: %v", ref, err)
		}
		checkPortPlaceholders(t, p)
	}
}

func checkPortPlaceholders(t *testing.T, p *Project) {
	t.Helper()
	var got []string
	for _, port := range p.Model.Services["m"].Ports {
		got = append(got, port.HostIP+"|"+port.Published+"|"+port.Protocol+"|"+strconv.FormatUint(uint64(port.Target), 10))
	}
	// Unset, in name order: ADMIN_PORT, APP_PORT, BIND_IP, CALLS_PORT, NAME, WEB_PORT.
	want := []string{"|49153|tcp|8065", "|49155|udp|49155", "127.0.0.1|49157|tcp|80", "|49152|tcp|49152"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("ports = %q, want %q", got, want)
	}
	if name := p.Model.Services["m"].ContainerName; name != "unset-name" {
		t.Errorf("container_name = %q, want the string placeholder", name)
	}
	var note string
	for _, n := range p.Notes {
		if n.Unchecked && strings.Contains(n.Msg, "CALLS_PORT") {
			note = n.Msg
		}
	}
	for _, s := range []string{"unset-name", "49155 for CALLS_PORT", "49153 for APP_PORT"} {
		if !strings.Contains(note, s) {
			t.Errorf("note %q does not say %q", note, s)
		}
	}
}

// A port that still cannot be parsed is an error at its entry.
func TestPortLoadErrorHasPosition(t *testing.T) {
	for _, tc := range []struct{ name, content string }{
		{"literal", "services:\n  m:\n    image: x\n    ports:\n      - '127.0.0.1:3001'\n"},
		{"unset variable, no image", "services:\n  m:\n    ports:\n      - \"8065:8065\"\n      - ${CALLS_PORT}:${CALLS_PORT}/udp\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"compose.yaml": tc.content})
			_, err := Load(context.Background(), Spec{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}, Options{Environ: []string{}})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want *Error", err)
			}
			if e.Line != 5 || e.Column != 9 {
				t.Errorf("got %s:%d:%d %q, want line 5 column 9", e.File, e.Line, e.Column, e.Msg)
			}
		})
	}
}
