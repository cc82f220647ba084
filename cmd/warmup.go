package cmd

import "github.com/compose-spec/compose-go/v2/schema"

// warmUp starts the one-time work of the first load on another core, so it
// overlaps discovery, reading and parsing instead of following them:
// compose-go compiles its JSON schema on first use (about 11 ms, a third
// of a pre-commit hook run). schema.Validate compiles behind a sync.Once,
// so the loads that need it wait for this compilation, never repeat it.
func warmUp() {
	go func() { _ = schema.Validate(map[string]any{}) }()
}
