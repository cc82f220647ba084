package rules

import (
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform"
)

// LegacyComposeFormat finds files in the legacy v1 format, which the
// loader lints through their v2 view (rules/project/legacy.go).
var LegacyComposeFormat = &lint.Rule{
	ID:       lint.LegacyFormatRule,
	Title:    "legacy v1 compose format",
	Severity: lint.Error,
	Fix:      lint.Unsafe,
	Doc: lint.Doc{
		What: "Finds compose files in the legacy v1 format: services at the top level, with no `services:` key. " +
			"composure lints their services as if they stood under `services:` (as compose v2 would read them once " +
			"moved), with every finding at its line in the file as written; the other rules' fixes wait until the " +
			"file is converted.",
		Why: "docker compose v2 refuses these files (`additional properties 'web' not allowed`), and compose v1, " +
			"which read them, stopped receiving updates in July 2023: the file no longer runs, and whatever it deploys (a database, " +
			"its credentials) is deployed some other way, or not at all.",
		Bad: `db:
  image: postgres:16
  net: host
  volumes:
    - pgdata:/var/lib/postgresql/data
`,
		Good: `services:
  db:
    image: postgres:16
    network_mode: host
    volumes:
      - pgdata:/var/lib/postgresql/data
volumes:
  pgdata:
    name: pgdata
`,
		FixText: "The fix moves the services under a top-level `services:` key, indenting their lines one step " +
			"(comments and blank lines kept, block scalars unchanged), and makes the changes compose v2 made to v1 " +
			"keys, in place:\n\n" +
			"| v1 | compose v2 (compose specification) |\n" +
			"|---|---|\n" +
			"| `net: host` (bridge, none, container:ID) | `network_mode: host` (the same value) |\n" +
			"| `net: container:S`, S a service of the file | `network_mode: service:S` |\n" +
			"| `volumes_from: [X]` or `X:ro`, X no service of the file (v1 then meant a container) | `volumes_from: [container:X]` |\n" +
			"| `build: C` with `dockerfile: D` beside it | `build: {context: C, dockerfile: D}` |\n" +
			"| `log_driver: D`, `log_opt: O` | `logging: {driver: D, options: O}` |\n" +
			"| `volume_driver: D` (no longer in the specification) | removed; the service's named volumes are declared with `driver: D` |\n" +
			"| a named volume `data:/path`, created on the fly without the project prefix | declared at the end: `volumes: {data: {name: data}}`, so the same volume (and its data) is used |\n\n" +
			"Every other v1 key (`links`, `external_links`, `cpu_shares`, `cpu_quota`, `cpuset`, `mem_limit`, " +
			"`memswap_limit`, `mem_swappiness`, `shm_size`, `extends`, ...) has the same name and meaning in the compose " +
			"specification. The fix is unsafe: compose v2 runs the services on a project network instead of the default " +
			"bridge (links still resolve, but their `*_PORT` environment variables are gone, and an `external_links` " +
			"container must join the project's network), it names containers `app-web-1` where v1 named them `app_web_1`, " +
			"and in an override an `image:` no longer replaces the base's `build:` (v2 builds and tags it). A file whose layout the edit cannot carry (a top-level key among the services, " +
			"a moved entry in a flow mapping) is reported without a fix.",
		References: []string{
			"https://docs.docker.com/compose/releases/migrate/ (Migrate to Compose V2)",
			"docker/compose 1.8.0 docs/compose-file.md, \"Upgrading\" (version 1 to 2: dockerfile, log_driver/log_opt, net, named volumes)",
			"docker/compose 1.29.2 compose/config/config.py: finalize_service (net to network_mode, service:S), normalize_v1_service_format (logging, build.dockerfile)",
			"docker/compose 1.29.2 compose/config/types.py: VolumeFromSpec.parse_v1 (a bare name that is no service is a container)",
			"docker/compose 1.29.2 compose/config/config_schema_v1.json (the v1 service keys)",
			"https://github.com/compose-spec/compose-spec/blob/main/spec.md (no net, dockerfile, log_driver, log_opt or volume_driver)",
		},
	},
	Check: func(p *lint.Pass) {
		for _, f := range p.Project.AllFiles() {
			if f.Legacy == nil {
				continue
			}
			checkLegacy(p, f)
		}
	},
}

func checkLegacy(p *lint.Pass, f *project.File) {
	lg := f.Legacy
	var names []string
	for _, k := range lg.Services {
		names = append(names, fmt.Sprintf("%q", k.Value))
	}
	shown := strings.Join(names, ", ")
	if len(names) > 3 {
		shown = strings.Join(names[:3], ", ") + fmt.Sprintf(" and %d more", len(names)-3)
	}
	msg := fmt.Sprintf("this file is in the legacy v1 compose format (services %s at the top level), which docker compose v2 refuses to load: move them under a top-level services: key", shown)
	if len(lg.Renames) > 0 {
		msg += "; compose v2 also renamed keys it uses: " + strings.Join(lg.Renames, ", ")
	}
	first := lg.Services[0]
	finding := lint.Finding{Message: msg, Service: first.Value, Path: "services"}
	if edits, err := legacyEdits(f); err == nil {
		finding.Fix = &lint.Fix{Title: "move the services under services: and rename what compose v2 renamed", Applicability: lint.Unsafe, Edits: edits}
	}
	p.Report(project.Loc{File: f, Key: first, Node: f.Orig(first), Depth: 1}, finding)
}

// legacyEdits are the file's edits when their result is exactly the
// view the rules linted: the same YAML data, and no longer v1.
func legacyEdits(f *project.File) ([]transform.Edit, error) {
	edits, err := f.LegacyEdits()
	if err != nil {
		return nil, err
	}
	out, err := transform.Apply(f.Content, edits)
	if err != nil {
		return nil, err
	}
	var got, want any
	if err := yaml.Unmarshal(out, &got); err != nil {
		return nil, fmt.Errorf("the converted file does not parse: %w", err)
	}
	if err := f.Docs[0].Decode(&want); err != nil {
		return nil, err
	}
	if !reflect.DeepEqual(got, want) {
		return nil, fmt.Errorf("the converted file is not what was linted")
	}
	return edits, nil
}
