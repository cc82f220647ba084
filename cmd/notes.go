package cmd

// uniqueNotes keeps the first of equal notes: fixes of several projects
// that share a file can carry the same note, which is said once (issue
// 13, point 9). The notes name their files, so equal notes are about the
// same thing.
func uniqueNotes(notes []string) []string {
	seen := make(map[string]bool, len(notes))
	out := make([]string, 0, len(notes))
	for _, n := range notes {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}
