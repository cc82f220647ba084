package rules

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/transform"
)

// How docker compose (v2.40.3, pkg/compose) puts a compose secret into a
// container, which decides who can read it:
//
//   - `file:` secrets are bind mounts of the host file, read-only
//     (create.go buildContainerSecretMounts). The container sees the host
//     file's owner and mode; `uid`, `gid` and `mode` are ignored with the
//     warning "secrets `uid`, `gid` and `mode` are not supported"
//     (docker/compose#9648, #12362). A file written 0600 by whoever ran
//     `fix` (uid 1000, say) is readable in the container by root, through
//     CAP_DAC_OVERRIDE, and by no other user.
//   - `environment:` secrets are copied into the container before it
//     starts, as a tar entry (secrets.go injectFileReferences, createTar):
//     owner uid/gid 0 unless the grant gives `uid`/`gid` (then
//     CopyUIDGID), mode `mode` or 0444 (0400 before v2.20.0, 0440 in
//     v2.34; uid/gid honoured since v2.14.1). A service with `read_only:
//     true` cannot have one ("`file` is the sole supported option").
//
// So a process that reads its <VAR>_FILE as root gets a 0600 secret file;
// any other gets the value through the gitignored .env as an environment
// secret whose grant names its uid and mode 0400 (or mode 0444 when its
// uid is not known), so it reads the same on every compose version.

// secretDeliveryDoc is the part of the rule docs that says how a secret
// reaches a process that is not root.
const secretDeliveryDoc = "A secret file reaches the container as it is on the host: docker compose bind-mounts a `file:` " +
	"secret and ignores `uid`, `gid` and `mode` for it (docker compose v2.40 pkg/compose/create.go " +
	"buildContainerSecretMounts; docker/compose#9648), so only root (which the docker-library postgres, mysql " +
	"and mariadb entrypoints are when they read `<VAR>_FILE`, before they drop privileges) reads a 0600 file " +
	"owned by whoever ran the fix. A service that reads it as another user (its `user:`, its Dockerfile's " +
	"`USER`, or an image that runs as one: bitnami 1001, mongo 999, elasticsearch 1000) gets the value in the " +
	"gitignored `.env` instead, passed as a compose secret with `environment:`, which compose copies into the " +
	"container with the grant's `uid` and `mode` (0400; 0444 when the uid is not known) (safe). When that is not " +
	"possible (a `read_only` service, where compose refuses environment secrets; a service that loads `.env` as " +
	"an env file; a tracked `.env`), the secret file is written and the fix is unsafe: its note says to " +
	"`chown` the file to the reader's uid."

// reader is who opens a service's <VAR>_FILE.
type reader struct {
	// uid and gid are numeric, "" when not known.
	uid, gid string
	// anyFile: root with CAP_DAC_OVERRIDE, which reads a 0600 file of any
	// owner.
	anyFile bool
	// known: the user is known (from user:, the Dockerfile's USER or the
	// image knowledge); who says it.
	known bool
	from  string
}

// secretReader finds who reads the service's secret files: its user:, else
// its Dockerfile's USER, else the image knowledge's reader for the tag
// (root for the docker-library entrypoints that read *_FILE before they
// drop privileges). An image with no known user counts as not known: a
// secret it reads must be readable by anyone.
func secretReader(s *service) reader {
	user, from := s.Config.User, "user: "+s.Config.User
	switch {
	case user != "":
	case s.Dockerfile != nil && s.Dockerfile.User != "":
		user, from = s.Dockerfile.User, "its Dockerfile's USER "+s.Dockerfile.User
	case s.Image != nil:
		user = s.Image.FileEnvReader(s.Match.Tag)
		from = "image " + imageOf(s)
		if user != "" && user != "0" {
			from += " runs as " + user
		}
	}
	if user == "" {
		return reader{}
	}
	r := reader{known: true, from: from}
	uid, gid, _ := strings.Cut(user, ":")
	if numeric(uid) {
		r.uid = uid
	}
	if numeric(gid) {
		r.gid = gid
	}
	if uid == "0" || uid == "root" {
		r.uid, r.anyFile = "0", !dropsDACOverride(s)
	}
	return r
}

// dropsDACOverride: without CAP_DAC_OVERRIDE root reads a file by its mode
// like any user.
func dropsDACOverride(s *service) bool {
	has := func(caps []string, c string) bool {
		return slices.ContainsFunc(caps, func(x string) bool {
			x = strings.TrimPrefix(strings.ToUpper(x), "CAP_")
			return x == c || x == "ALL"
		})
	}
	return has(s.Config.CapDrop, "DAC_OVERRIDE") && !has(s.Config.CapAdd, "DAC_OVERRIDE")
}

func numeric(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// grant is the service's secrets: item for an environment secret: the
// reader's uid (and gid) with mode 0400, or mode 0444 for a reader whose
// uid is not known; the short form for root.
func (r reader) grant(name string) string {
	switch {
	case r.anyFile:
		return name
	case r.uid != "" && r.gid != "":
		return fmt.Sprintf(`{source: %s, uid: "%s", gid: "%s", mode: 0400}`, name, r.uid, r.gid)
	case r.uid != "":
		return fmt.Sprintf(`{source: %s, uid: "%s", mode: 0400}`, name, r.uid)
	}
	return "{source: " + name + ", mode: 0444}"
}

// who names the reader in a fix title: "readable by uid 999".
func (r reader) who() string {
	switch {
	case r.anyFile:
		return "root"
	case r.uid != "":
		return "uid " + r.uid
	}
	return "any user"
}

// envSecretFix delivers a literal secret to a process that cannot read a
// 0600 secret file: the value goes to the gitignored .env, and the
// service reads it through <VAR>_FILE from a compose secret declared
// `environment: VAR`, granted to its uid. nil when the service is
// read-only (compose refuses environment secrets there), loads the
// project's .env as an env file (the value would reach it as a variable
// too), or .env is tracked.
func envSecretFix(p *lint.Pass, s *service, e rawEntry, value string, r reader) *lint.Fix {
	if s.Config.ReadOnly || p.Project.DotEnvGit.Tracked || loadsDotEnv(p, s) {
		return nil
	}
	fileVar, ok := s.fileEnv(e.Key)
	if !ok || !envVarName.MatchString(e.Key) {
		return nil
	}
	b, svc := entryFix(p, s, e)
	if b == nil {
		return nil
	}
	variable, ok := sharedOf(p).envVar(e.Key, s.Name, value)
	if !ok {
		return nil
	}
	line, ok := dotEnvLine(variable, value)
	if !ok {
		return nil
	}
	name := sharedOf(p).secrets.get(secretName(s.Name, e.Key))
	b.declare("secrets", []string{name}, []string{"environment: " + variable})
	b.add(transform.EnsureSequenceItem(b.src, svc, "secrets", r.grant(name)))
	replaceEntry(b, e, fileVar, secretTarget(s, name))
	b.writes = append(b.writes, dotEnvWrites(p, variable, line)...)
	return b.build(fmt.Sprintf("move %s to the gitignored .env as %s and pass it as compose secret %s read through %s (readable by %s)",
		e.Key, variable, name, fileVar, r.who()), lint.Safe)
}

// dotEnvWrites add line, which sets variable, to the project's .env,
// after the .gitignore line that ignores it (a secret is never on disk
// un-ignored), and list variable in the committed template.
func dotEnvWrites(p *lint.Pass, variable, line string) []lint.FileWrite {
	return append([]lint.FileWrite{
		{Kind: lint.EnsureLine, Root: p.Project.Dir, Path: filepath.Join(p.Project.Dir, ".gitignore"), Content: ".env"},
		{Kind: lint.EnsureLine, Root: p.Project.Dir, Path: filepath.Join(p.Project.Dir, ".env"), Content: line, Secret: true},
	}, templateVarWrites(p, variable)...)
}

// loadsDotEnv: the service lists the project's .env under env_file.
func loadsDotEnv(p *lint.Pass, s *service) bool {
	dotEnv := filepath.Join(p.Project.Dir, ".env")
	return slices.ContainsFunc(s.Config.EnvFiles, func(f types.EnvFile) bool { return filepath.Clean(f.Path) == dotEnv })
}

// unreadableNote says what the user must do when a secret file goes to a
// service whose process cannot read a 0600 file and no environment secret
// can carry it: give the file to the reader's uid.
func unreadableNote(s *service, r reader, file string) string {
	if r.uid != "" {
		return fmt.Sprintf("service %q reads %s as uid %s (%s), but the file is yours with mode 0600: run `sudo chown %s %s` before `docker compose up` (docker compose mounts a secret file as it is on the host)",
			s.Name, file, r.uid, r.from, r.uid, file)
	}
	return fmt.Sprintf("service %q reads %s as %s, but the file is yours with mode 0600: chown it to that user's uid before `docker compose up` (docker compose mounts a secret file as it is on the host)",
		s.Name, file, r.from)
}

// fileSecretApplicability is the applicability of a fix that gives the
// services a 0600 secret file at path: safe when each of them reads it as
// root or its reader is not known (as before: most images start as root),
// unsafe with a note saying what to do when one is known to read it as
// another user.
func fileSecretApplicability(b *fixBuilder, p *lint.Pass, path string, services ...*service) lint.Applicability {
	app := lint.Safe
	for _, s := range services {
		if r := secretReader(s); r.known && !r.anyFile {
			app = lint.Unsafe
			b.notes = append(b.notes, unreadableNote(s, r, displayPath(p.Project.Dir, path)))
		}
	}
	return app
}
