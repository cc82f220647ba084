package transform

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestApply(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		edits   []Edit
		want    string
		wantErr string // substring of the error
	}{
		{name: "no edits", src: "abc", want: "abc"},
		{name: "empty source insertion", src: "", edits: []Edit{{Start: 0, End: 0, New: "x"}}, want: "x"},
		{
			name:  "unsorted edits are sorted",
			src:   "0123456789",
			edits: []Edit{{Start: 8, End: 9, New: "E"}, {Start: 1, End: 2, New: "B"}, {Start: 4, End: 6, New: ""}},
			want:  "0B2367E9",
		},
		{
			name:  "identical duplicates are merged",
			src:   "a: 1\n",
			edits: []Edit{{Start: 4, End: 4, New: "\nb: 2"}, {Start: 4, End: 4, New: "\nb: 2"}, {Start: 3, End: 4, New: "9"}, {Start: 3, End: 4, New: "9"}},
			want:  "a: 9\nb: 2\n",
		},
		{
			name:  "insertion before a replacement starting at the same offset",
			src:   "abc",
			edits: []Edit{{Start: 1, End: 2, New: "X"}, {Start: 1, End: 1, New: "i"}},
			want:  "aiXc",
		},
		{
			name:  "insertion after a replacement ending at the same offset",
			src:   "abc",
			edits: []Edit{{Start: 2, End: 2, New: "i"}, {Start: 1, End: 2, New: "X"}},
			want:  "aXic",
		},
		{
			name:  "adjacent replacements",
			src:   "abcd",
			edits: []Edit{{Start: 2, End: 4, New: "Y"}, {Start: 0, End: 2, New: "X"}},
			want:  "XY",
		},
		{
			name:  "deletion at end of file",
			src:   "a\nb",
			edits: []Edit{{Start: 1, End: 3}},
			want:  "a",
		},
		{
			name:  "File is ignored",
			src:   "ab",
			edits: []Edit{{File: "x.yml", Start: 0, End: 1, New: "A"}, {File: "y.yml", Start: 1, End: 2, New: "B"}},
			want:  "AB",
		},
		{name: "negative start", src: "abc", edits: []Edit{{Start: -1, End: 1}}, wantErr: "out of range"},
		{name: "end past the source", src: "abc", edits: []Edit{{Start: 1, End: 4}}, wantErr: "out of range"},
		{name: "start after end", src: "abc", edits: []Edit{{Start: 2, End: 1}}, wantErr: "out of range"},
		{
			name:    "overlapping replacements",
			src:     "abcdef",
			edits:   []Edit{{Start: 1, End: 4, New: "X"}, {Start: 3, End: 5, New: "Y"}},
			wantErr: "overlapping",
		},
		{
			name:    "nested replacement",
			src:     "abcdef",
			edits:   []Edit{{Start: 0, End: 6, New: "X"}, {Start: 2, End: 3, New: "Y"}},
			wantErr: "overlapping",
		},
		{
			name:    "insertion inside a replacement",
			src:     "abcdef",
			edits:   []Edit{{Start: 1, End: 4, New: "X"}, {Start: 2, End: 2, New: "i"}},
			wantErr: "overlapping",
		},
		{
			name:    "two different insertions at one offset",
			src:     "abc",
			edits:   []Edit{{Start: 1, End: 1, New: "x"}, {Start: 1, End: 1, New: "y"}},
			wantErr: "overlapping",
		},
		{
			name:    "same range, different text",
			src:     "abc",
			edits:   []Edit{{Start: 0, End: 1, New: "x"}, {Start: 0, End: 1, New: "y"}},
			wantErr: "overlapping",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edits := append([]Edit(nil), tt.edits...)
			got, err := Apply([]byte(tt.src), tt.edits)
			if diff := cmp.Diff(edits, tt.edits); diff != "" {
				t.Errorf("Apply modified its input (-before +after):\n%s", diff)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Apply() error = %v, want %q", err, tt.wantErr)
				}
				if got != nil {
					t.Errorf("Apply() returned output %q with an error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Apply() error = %v", err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("Apply() mismatch (-want +got):\n%s", diff)
			}
			checkPreserved(t, []byte(tt.src), got, tt.edits)
		})
	}
}

func TestNormalize(t *testing.T) {
	got, err := Normalize(10, []Edit{
		{Start: 5, End: 6, New: "b"},
		{Start: 1, End: 1, New: "a"},
		{Start: 5, End: 6, New: "b"},
		{Start: 1, End: 3, New: "c"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Edit{{Start: 1, End: 1, New: "a"}, {Start: 1, End: 3, New: "c"}, {Start: 5, End: 6, New: "b"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Normalize() mismatch (-want +got):\n%s", diff)
	}
}

func TestMerge(t *testing.T) {
	ins := func(at int, s string) Edit { return Edit{File: "f", Start: at, End: at, New: s} }
	rep := func(a, b int, s string) Edit { return Edit{File: "f", Start: a, End: b, New: s} }
	tests := []struct {
		name        string
		groups      [][]Edit
		wantMerged  []Edit
		wantApplied []int
		wantDropped []int
	}{
		{name: "nothing"},
		{
			name:        "independent fixes",
			groups:      [][]Edit{{rep(10, 12, "x")}, {ins(3, "a"), ins(20, "b")}},
			wantMerged:  []Edit{ins(3, "a"), rep(10, 12, "x"), ins(20, "b")},
			wantApplied: []int{0, 1},
		},
		{
			name:        "a conflicting group is dropped as a whole",
			groups:      [][]Edit{{rep(10, 12, "x")}, {ins(3, "a"), rep(11, 13, "y")}, {ins(30, "z")}},
			wantMerged:  []Edit{rep(10, 12, "x"), ins(30, "z")},
			wantApplied: []int{0, 2},
			wantDropped: []int{1},
		},
		{
			name:        "two different insertions at one offset conflict",
			groups:      [][]Edit{{ins(5, "\n  a: 1")}, {ins(5, "\n  b: 2")}},
			wantMerged:  []Edit{ins(5, "\n  a: 1")},
			wantApplied: []int{0},
			wantDropped: []int{1},
		},
		{
			name:        "identical edits of two fixes are applied once",
			groups:      [][]Edit{{ins(5, "\nvolumes:\n  data:"), rep(1, 2, "x")}, {ins(5, "\nvolumes:\n  data:")}},
			wantMerged:  []Edit{rep(1, 2, "x"), ins(5, "\nvolumes:\n  data:")},
			wantApplied: []int{0, 1},
		},
		{
			name:        "a group overlapping itself is dropped",
			groups:      [][]Edit{{rep(1, 5, "x"), rep(2, 3, "y")}, {ins(0, "a")}},
			wantMerged:  []Edit{ins(0, "a")},
			wantApplied: []int{1},
			wantDropped: []int{0},
		},
		{
			name:        "a group with an invalid range is dropped",
			groups:      [][]Edit{{rep(5, 1, "x")}, {rep(-1, 0, "")}},
			wantDropped: []int{0, 1},
		},
		{
			name:        "adjacent edits of two fixes do not conflict",
			groups:      [][]Edit{{rep(0, 4, "x")}, {rep(4, 8, "y")}, {ins(8, "z")}},
			wantMerged:  []Edit{rep(0, 4, "x"), rep(4, 8, "y"), ins(8, "z")},
			wantApplied: []int{0, 1, 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			merged, applied, dropped := Merge(tt.groups)
			if diff := cmp.Diff(tt.wantMerged, merged); diff != "" {
				t.Errorf("merged (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantApplied, applied); diff != "" {
				t.Errorf("applied (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantDropped, dropped); diff != "" {
				t.Errorf("dropped (-want +got):\n%s", diff)
			}
			// The merged edits always apply.
			if _, err := Apply(make([]byte, 64), merged); err != nil {
				t.Errorf("merged edits do not apply: %v", err)
			}
		})
	}
}
