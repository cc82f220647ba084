// Package transform owns the byte-level edit engine: fixes are lists of
// small edits to the original bytes of a file, never a re-serialisation.
package transform

// Edit replaces the bytes [Start, End) of File with New. Start == End is an
// insertion; New == "" is a deletion. Offsets are byte offsets into the file
// exactly as it was read.
type Edit struct {
	File  string `json:"file"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	New   string `json:"new"`
}
