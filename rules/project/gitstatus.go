package project

import "context"

// GitStatuses is what git says of each absolute path (see GitStatus): the
// fixer asks before it moves a secret into a file, which must never be
// one git tracks.
func GitStatuses(ctx context.Context, paths []string) map[string]GitStatus {
	return gitStatuses(ctx, paths)
}
