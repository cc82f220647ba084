// Package fingerprint names a finding the same way across runs: by its
// rule, file, service and place in the compose model, never by its line,
// column or message text. An edit elsewhere in the file moves a finding's
// line; a new image tag or a reworded message changes its text; neither
// makes it a new finding. SARIF's partialFingerprints, Code Climate's
// fingerprints and the baseline all use Identity, so code scanning,
// GitLab and `--baseline` agree on what is the same finding.
package fingerprint

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/composure-dev/composure/rules/lint"
)

// Identity is what makes two findings the same one.
type Identity struct {
	Rule    string `json:"rule"`
	File    string `json:"file"` // slash-separated, as reported
	Service string `json:"service,omitempty"`
	Path    string `json:"path,omitempty"` // the model path: services.db.volumes
}

// Of returns f's identity.
func Of(f lint.Finding) Identity {
	return Identity{Rule: f.Rule, File: filepath.ToSlash(f.Pos.File), Service: f.Service, Path: f.Path}
}

// Hash is the SHA-256 of the identity and its occurrence (1 for the first
// finding with this identity in a run, 2 for the next...), in hex: one
// file can hold two findings of a rule at one model path (two secrets in
// one env file), told apart by their order.
func (id Identity) Hash(occurrence int) string {
	key := strings.Join([]string{id.Rule, id.File, id.Service, id.Path}, "\x00")
	if occurrence > 1 {
		key += "\x00" + strconv.Itoa(occurrence)
	}
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// Counter numbers the occurrences of identities in a run's findings, in
// the order they are reported (sorted by file, line, rule).
type Counter map[Identity]int

// Next returns f's identity and its occurrence among those seen so far.
func (c Counter) Next(f lint.Finding) (Identity, int) {
	id := Of(f)
	c[id]++
	return id, c[id]
}
