package project

import (
	"context"

	"github.com/compose-spec/compose-go/v2/types"
)

// uncheckedLoad is the project loaded without compose-go's consistency
// checks, kept for the rest of one Load.
type uncheckedLoad struct {
	model *types.Project
	err   error
}

// uncheckedModel loads the project without the consistency checks, once
// per Load: a project whose references do not hold needs that model
// twice, to name its first inconsistency (stableConsistencyError) and to
// be linted Partial. Loading it twice cost 109 of the corpus's 1,723
// compose-go loads. The second load gave the same model: the same files,
// environment and profiles, and what interpolation records (unset
// variables, notes) is recorded once either way. Most often it is not
// loaded at all: the first load kept it (spare.go).
func (p *projectLoader) uncheckedModel(ctx context.Context, dir string, env map[string]string, profiles []string) (*types.Project, error) {
	if p.unchecked == nil {
		m, err := p.loadModel(ctx, dir, env, profiles, false, true)
		p.unchecked = &uncheckedLoad{model: m, err: err}
	}
	return p.unchecked.model, p.unchecked.err
}
