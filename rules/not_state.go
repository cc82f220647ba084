package rules

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/lint"
)

// What looks like state but is not (issue 14). Each heuristic here is
// documented in the docs of the rules that use it.

// dependencyDirs are the directories package managers fill from a lock
// file. An anonymous volume on one of them keeps the image's copy visible
// under a bind-mounted source tree (`- .:/app` and `- /app/node_modules`):
// a cache of the build, rebuilt with the image, not state.
var dependencyDirs = map[string]bool{
	"node_modules": true, "bower_components": true, ".pnpm-store": true,
	"vendor": true, // composer, go, bundler
	".venv":  true, "venv": true, "__pycache__": true, "site-packages": true,
	"target": true, ".gradle": true, ".m2": true, // cargo, maven, gradle
	"deps": true, "_build": true, // mix
	".bundle": true, "packages": true,
}

// dependencyCache reports an anonymous volume that holds a dependency
// directory of a service whose code comes from the host or a local build:
// a bind mount anywhere in the service, or `build:`. Such a volume is
// never reported, so no fix names it (a named volume would keep stale
// dependencies across rebuilds).
func dependencyCache(s *service, m mount) bool {
	if m.Kind != anonymousVolume || !dependencyDirs[path.Base(m.Target)] {
		return false
	}
	if s.Config.Build != nil {
		return true
	}
	for _, o := range s.Mounts {
		if o.Kind == bindMount {
			return true
		}
	}
	return false
}

// markOneShots sets OneShot on the services that run to completion and
// keep no state of their own: another service waits for them to finish
// (depends_on condition service_completed_successfully); or they set
// `restart: "no"` explicitly and give a command (an import, a migration,
// `n8n import:credentials`); or they sit in profiles only, give a command,
// publish no port and ask for no restart (tools for `docker compose run`).
func markOneShots(services []*service) {
	completes := map[string]bool{}
	for _, s := range services {
		for name, d := range s.Config.DependsOn {
			if d.Condition == "service_completed_successfully" {
				completes[name] = true
			}
		}
	}
	for _, s := range services {
		c := &s.Config
		command := len(c.Command) > 0 || len(c.Entrypoint) > 0
		switch {
		case completes[s.Name]:
			s.OneShot = true
		case c.Restart == "no" && command:
			s.OneShot = true
		case len(c.Profiles) > 0 && command && len(c.Ports) == 0 && (c.Restart == "" || c.Restart == "no"):
			s.OneShot = true
		}
	}
}

// defaultThrowawayDirs are directory names that hold the compose files
// of CI and test setups.
var defaultThrowawayDirs = []string{".ci", "ci", ".github", "testing", "test", "tests", "e2e", "integration-tests"}

// throwawayDirsOption lets a project name its own.
var throwawayDirsOption = lint.Option{Name: "throwaway-dirs", Kind: lint.StringList,
	Doc: "directory names whose compose files run throwaway test databases (reported as info); " +
		"default .ci, ci, .github, testing, test, tests, e2e, integration-tests; a list given replaces it"}

// throwaway says why a stateful service looks like a throwaway test
// database, or "": its server is told not to sync to disk (fsync=off),
// or the compose file that defines it lives in a CI or test directory.
// Such services are reported at info, never dropped: a CI database that
// loses its data loses nothing, but the heuristic can be wrong.
func throwaway(p *lint.Pass, s *service) string {
	for _, a := range knowledge.SplitCommand(commandLine(s)) {
		if strings.EqualFold(a, "fsync=off") || strings.EqualFold(a, "--fsync=off") {
			return "its command sets fsync=off"
		}
	}
	dirs := defaultThrowawayDirs
	if v := stateOptionsOf(p).ThrowawayDirs; v != nil {
		dirs = v
	}
	f := p.Project.Locate("services", s.Name).File
	if f == nil {
		return ""
	}
	// The directories as the user spelled the file's path; of an
	// absolute path only the last two, so that /home/me/test/... does not
	// make every project a test one.
	parts := strings.Split(filepath.ToSlash(filepath.Dir(f.Path)), "/")
	if filepath.IsAbs(f.Path) && len(parts) > 2 {
		parts = parts[len(parts)-2:]
	}
	for _, part := range parts {
		for _, d := range dirs {
			if strings.EqualFold(part, d) {
				return "its compose file is under " + part + "/"
			}
		}
	}
	return ""
}
