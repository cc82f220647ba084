package fixer

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/transform"
)

// Why this file exists: compose files of one folder that each move a
// password of a service called db into a secret file all pick the first
// free name, db-postgres-password-3, in the same pass; one takes it and
// the others waited for the next pass, where the rule picks the next free
// name: one pass, with its lints and checks, per file (thirty passes on
// the corpus). A waiting fix is given here the name the rule would give
// it once the names claimed before it are taken: the next one free for
// it, as the rule counts (base-2, base-3...): absent, or holding the same
// value, and not a secret its project declares.

// numbered splits a secret name the rule made into its base and count.
var numbered = regexp.MustCompile(`^(.+)-([0-9]+)$`)

// renamedClaim is fix with the secret file it creates, which another fix
// of the pass claims (claimed) with another value, renamed to the next
// free name; nil when it cannot be (then it waits for the next pass).
func renamedClaim(fix *lint.Fix, claimed map[string]string, declared map[string]bool, overlay map[string][]byte) *lint.Fix {
	var w lint.FileWrite
	n := 0
	for _, x := range fix.Writes {
		if old, ok := claimed[x.Path]; x.Kind == lint.CreateSecret && ok && old != x.Content {
			w = x
			n++
		}
	}
	if n != 1 {
		return nil
	}
	name, dir := filepath.Base(w.Path), filepath.Dir(w.Path)
	base, count := name, 1
	if m := numbered.FindStringSubmatch(name); m != nil {
		base = m[1]
		count, _ = strconv.Atoi(m[2])
	}
	next := ""
	for i := count + 1; i < count+10000; i++ {
		cand := fmt.Sprintf("%s-%d", base, i)
		p := filepath.Join(dir, cand)
		if declared[cand] {
			continue
		}
		if old, ok := claimed[p]; ok && old != w.Content {
			continue
		}
		if b, ok := overlay[p]; ok {
			if string(b) != w.Content {
				continue
			}
		} else if _, err := os.Lstat(p); err == nil {
			if b := currentContent(p, nil); string(b) != w.Content {
				continue
			}
		}
		next = cand
		break
	}
	if next == "" {
		return nil
	}
	out := *fix
	out.Title = replaceName(fix.Title, name, next)
	out.Notes = nil
	for _, note := range fix.Notes {
		out.Notes = append(out.Notes, replaceName(note, name, next))
	}
	found := false
	out.Edits = make([]transform.Edit, len(fix.Edits))
	for i, e := range fix.Edits {
		e.New = replaceName(e.New, name, next)
		found = found || e.New != fix.Edits[i].New
		out.Edits[i] = e
	}
	if !found {
		return nil // the name is not where the rule writes it
	}
	out.Writes = make([]lint.FileWrite, len(fix.Writes))
	for i, x := range fix.Writes {
		if x.Path == w.Path && x.Kind == lint.CreateSecret {
			x.Path = filepath.Join(dir, next)
		} else if !x.Secret {
			// never a secret value: it is not searched
			x.Content = replaceName(x.Content, name, next)
		}
		out.Writes[i] = x
	}
	return &out
}

// replaceName replaces name in s where it stands as a whole secret name
// (not inside a longer one: db-password-3 in db-password-31).
func replaceName(s, name, next string) string {
	isName := func(c byte) bool {
		return c == '_' || c == '.' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], name)
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		j += i
		end := j + len(name)
		if (j == 0 || !isName(s[j-1])) && (end == len(s) || !isName(s[end])) {
			b.WriteString(s[i:j])
			b.WriteString(next)
		} else {
			b.WriteString(s[i:end])
		}
		i = end
	}
	return b.String()
}
