package rules

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/composure-dev/composure/rules/lint"

	"github.com/composure-dev/composure/rules/project"
)

// SecretFileTracked finds top-level secret files that git tracks or does
// not ignore.
var SecretFileTracked = &lint.Rule{
	ID:       "secret-file-tracked",
	Title:    "secret file that git tracks or does not ignore",
	Severity: lint.Warning,
	// The fix is a .gitignore line and no compose edit: the fixer applies
	// such write-only fixes on their own.
	Fix: lint.Safe,
	Doc: lint.Doc{
		What: "Finds top-level `secrets:` whose `file:` exists inside a git work tree and is committed (or " +
			"staged), or is not ignored by `.gitignore`. External secrets, secrets from the environment, files " +
			"that do not exist yet and files outside any git repository are not reported. The secret's " +
			"content is never read. When git cannot answer (it refuses the repository with its " +
			"\"dubious ownership\" check, common in containers and CI runners, or is not installed), nothing is " +
			"reported for the files of that repository and one note on stderr says so, as golangci-lint warns " +
			"about a check it could not run: a finding would fail the build for the runner, not for the code, " +
			"and silence would pass an unchecked file for a clean one.",
		Why: "A compose secret keeps the value out of the compose file and out of the container's environment, " +
			"but the file itself sits next to the compose file: if git does not ignore it, the next `git add .` " +
			"commits it, and from then on every clone has the secret.",
		Bad: `services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db-password
    secrets:
      - db-password
secrets:
  db-password:
    file: ./secrets/db-password
`,
		BadFiles: map[string]string{"secrets/db-password": "example\n"},
		Good: `services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db-password
    secrets:
      - db-password
secrets:
  db-password:
    file: ./secrets/db-password
`,
		GoodFiles: map[string]string{"secrets/db-password": "example\n", ".gitignore": "/secrets/\n"},
		FixText: "A file git does not ignore: add `/<path>` to the project's `.gitignore` (safe). A committed file: no automatic fix; remove it " +
			"from the repository with `git rm --cached`, add it to `.gitignore`, and rotate the secret, since " +
			"the history keeps it.",
		References: []string{
			"https://docs.docker.com/reference/compose-file/secrets/",
			"https://git-scm.com/docs/gitignore",
		},
	},
	Check: checkSecretFileTracked,
}

func checkSecretFileTracked(p *lint.Pass) {
	names := make([]string, 0, len(p.Project.Model.Secrets))
	for name := range p.Project.Model.Secrets {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		sec := p.Project.Model.Secrets[name]
		if sec.File == "" || bool(sec.External) {
			continue
		}
		abs := filepath.Clean(sec.File)
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(p.Project.Dir, abs)
		}
		ef := p.Project.EnvFiles[abs]
		// Unknown (git refuses the repository, or is missing): the loader
		// notes it once, on stderr, rather than a finding per file.
		if ef == nil || ef.NoRepo || ef.Unknown || (ef.Ignored && !ef.Tracked) {
			continue
		}
		shown := displayPath(p.Project.Dir, abs)
		key := []string{"secrets", name, "file"}
		f := lint.Finding{Path: dotted(key)}
		if ef.Tracked {
			f.Message = fmt.Sprintf("secret %q reads %s, which is committed to git, so every clone of the repository has it: remove it from the repository (git rm --cached %s), add it to .gitignore and rotate the secret",
				name, shown, shown)
			f.Fix = &lint.Fix{Title: "untrack " + shown + " and ignore it", Applicability: lint.DisplayOnly, Notes: []string{
				"git rm --cached " + shown,
				"add /" + project.GitignorePattern(mustRel(p.Project.Dir, abs)) + " to .gitignore",
				"rotate the secret: the repository's history keeps the old value",
			}}
		} else {
			f.Message = fmt.Sprintf("secret %q reads %s, which git does not ignore, so the next `git add` commits it: add it to .gitignore",
				name, shown)
			f.Fix = ignoreSecretFix(p, abs)
		}
		p.Report(p.Project.Locate(key...), f)
	}
}

// ignoreSecretFix adds the secret file to the project's .gitignore. It
// edits no compose file: the whole fix is the line.
func ignoreSecretFix(p *lint.Pass, abs string) *lint.Fix {
	rel, err := filepath.Rel(p.Project.Dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil // never write outside the project
	}
	line := "/" + project.GitignorePattern(rel)
	return &lint.Fix{
		Title:         "add " + line + " to .gitignore",
		Applicability: lint.Safe,
		Writes:        []lint.FileWrite{{Kind: lint.EnsureLine, Root: p.Project.Dir, Path: filepath.Join(p.Project.Dir, ".gitignore"), Content: line}},
	}
}
