package rules

import (
	"strings"
	"testing"

	"github.com/composure-dev/composure/rules/lint"
)

// TestNoFixNamesDependencyVolume (issue 13, point 9): a volume on a
// dependency directory is never turned into a named one by a fix, whether
// it is an anonymous volume in the compose file or a Dockerfile's VOLUME;
// the message says why instead.
func TestNoFixNamesDependencyVolume(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		rule  *lint.Rule
		check func(*lint.Pass)
	}{
		{"anonymous node_modules", map[string]string{
			"compose.yaml": "services:\n  app:\n    image: node:22\n    volumes:\n      - /app/node_modules\n",
		}, AnonymousVolume, checkAnonymousVolume},
		{"anonymous dist-packages", map[string]string{
			"compose.yaml": "services:\n  app:\n    image: vimagick/scrapyd:py3\n    volumes:\n      - /usr/local/lib/python3.9/dist-packages\n",
		}, AnonymousVolume, checkAnonymousVolume},
		{"Dockerfile VOLUME on node_modules", map[string]string{
			"compose.yaml": "services:\n  app:\n    build: .\n",
			"Dockerfile":   "FROM node:22\nWORKDIR /app\nVOLUME /app/node_modules\n",
		}, StatefulVolumeMissing, checkStatefulVolumeMissing},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pass := writeProject(t, c.files, c.rule)
			c.check(pass)
			if len(pass.Findings()) != 1 {
				t.Fatalf("findings %+v, want one", pass.Findings())
			}
			f := pass.Findings()[0]
			if f.Fix != nil {
				t.Errorf("fix %q names a dependency directory's volume", f.Fix.Title)
			}
			if !strings.Contains(f.Message, "anonymous (`docker compose up -V` renews it") {
				t.Errorf("message %q does not say why there is no fix", f.Message)
			}
		})
	}
	// Another path of the same kind of service keeps its fix.
	pass := writeProject(t, map[string]string{
		"compose.yaml": "services:\n  app:\n    image: node:22\n    volumes:\n      - /app/uploads\n",
	}, AnonymousVolume)
	checkAnonymousVolume(pass)
	if fs := pass.Findings(); len(fs) != 1 || fs[0].Fix == nil {
		t.Errorf("findings %+v, want one with a fix", fs)
	}
}
