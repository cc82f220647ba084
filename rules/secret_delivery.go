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
//     mode `mode` or 0444 (0400 before v2.20.0, 0440 in v2.34), owner 0:0.
//     A `uid` or `gid` in the grant sets CopyUIDGID, and then the engine
//     does not use them: when the container has a user (its `user:` or
//     its image's USER) it chowns the file to that user, looked up on the
//     host before Engine 28 (moby daemon/archive_tarcopyoptions_unix.go;
//     moby#34142: "getent unable to find entry", docker/compose#12467 for
//     "1000:1000"), so a grant with a uid can fail `up`. A service with
//     `read_only: true` cannot have an environment secret ("`file` is the
//     sole supported option").
//
// So a process that reads its <VAR>_FILE as root gets a 0600 secret file;
// any other gets the value through the gitignored .env as an environment
// secret granted with `mode: 0444` and no uid: root-owned and readable by
// every user of the container, on every compose version and engine (the
// default of docker compose since v2.35 and of swarm, made explicit).
// An image that refuses a file others can read (elasticsearch) has no
// such delivery: it keeps the 0600 file, the fix is unsafe and says to
// chown it.

// secretDeliveryDoc is the part of the rule docs that says how a secret
// reaches a process that is not root.
const secretDeliveryDoc = "A secret file reaches the container as it is on the host: docker compose bind-mounts a `file:` " +
	"secret and ignores `uid`, `gid` and `mode` for it (docker compose v2.40 pkg/compose/create.go " +
	"buildContainerSecretMounts; docker/compose#9648), so only root (which the docker-library postgres, mysql " +
	"and mariadb entrypoints are when they read `<VAR>_FILE`, before they drop privileges) reads a 0600 file " +
	"owned by whoever ran the fix. A service that reads it as another user (its `user:`, its Dockerfile's " +
	"`USER`, or an image that runs as one: bitnami 1001, mongo 999, grafana 472) gets the value in the " +
	"gitignored `.env` instead, passed as a compose secret with `environment:`, which compose copies into the " +
	"container with the grant's `mode: 0444`, root-owned and readable by every user of the container (safe). " +
	"The grant names no `uid`: with one, the engine chowns the file to the container's user, which engines " +
	"before 28 look up on the host and fail to find (moby#34142). When that is not possible (a `read_only` " +
	"service, where compose refuses environment secrets; a service that loads `.env` as an env file; a tracked " +
	"`.env`; elasticsearch, which refuses a file others can read), the secret file is written and the fix is " +
	"unsafe: its note says to `chown` the file to the reader's uid."

// reader is who opens a service's <VAR>_FILE.
type reader struct {
	// uid is numeric, "" when not known.
	uid string
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
	uid, _, _ := strings.Cut(user, ":")
	if numeric(uid) {
		r.uid = uid
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
// short form for root, else mode 0444 without a uid (see above).
func (r reader) grant(name string) string {
	if r.anyFile {
		return name
	}
	return "{source: " + name + ", mode: 0444}"
}

// who names the reader in a fix title.
func (r reader) who() string {
	switch {
	case r.anyFile:
		return "root"
	case r.uid != "":
		return "uid " + r.uid
	}
	return "any user"
}

// ownerOnly: the image refuses a secret file others can read, so neither
// a 0444 environment secret nor a 0600 file of another owner does.
func ownerOnly(s *service) bool {
	return s.Image != nil && s.Image.FileEnv.OwnerOnly
}

// envSecretFix delivers a literal secret to a process that cannot read a
// 0600 secret file: the value goes to the gitignored .env, and the
// service reads it through <VAR>_FILE from a compose secret declared
// `environment: VAR`, readable by every user (mode 0444). nil when the
// image wants a file only its owner can read, or the service is
// read-only (compose refuses environment secrets there), loads the
// project's .env as an env file (the value would reach it as a variable
// too), or .env is tracked.
func envSecretFix(p *lint.Pass, s *service, e rawEntry, value string, r reader) *lint.Fix {
	if s.Config.ReadOnly || p.Project.DotEnvGit.Tracked || loadsDotEnv(p, s) || ownerOnly(s) {
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
	return b.build(fmt.Sprintf("move %s to the gitignored .env as %s and pass it as compose secret %s read through %s (mode 0444: %s reads it)",
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
