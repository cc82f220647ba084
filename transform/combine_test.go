package transform

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v4"
)

// before is the insertion of text just before the first occurrence of
// marker in src.
func before(t *testing.T, src, marker, text string) Edit {
	t.Helper()
	at := strings.Index(src, marker)
	if at < 0 {
		t.Fatalf("marker %q not in source", marker)
	}
	return Edit{Start: at, End: at, New: text}
}

// Fixes that each add a service key or create a top-level section insert
// at one offset; Combine writes each shared key once with the entries of
// all of them, deeper lines first.
func TestCombineMergesSectionsAndKeys(t *testing.T) {
	for _, eol := range []string{"\n", "\r\n"} {
		crlf := func(s string) string { return strings.ReplaceAll(s, "\n", eol) }
		src := crlf("services:\n  a:\n    image: postgres\n  b:\n    image: mysql\n")
		end := len(src) - len(eol) // the helpers insert before the last line break
		groups := [][]Edit{
			{
				before(t, src, crlf("\n  b:"), crlf("\n    volumes:\n      - a-data:/var/lib/postgresql/data\n    secrets:\n      - a-password")),
				{Start: end, End: end, New: crlf("\nvolumes:\n  a-data:\nsecrets:\n  a-password:\n    file: ./secrets/a-password")},
			},
			{
				before(t, src, crlf("\n  b:"), crlf("\n    secrets:\n      - a-user")),
				{Start: end, End: end, New: crlf("\nsecrets:\n  a-user:\n    file: ./secrets/a-user")},
			},
			{
				{Start: end, End: end, New: crlf("\n    volumes:\n      - b-data:/var/lib/mysql\n\nvolumes:\n  b-data:")},
			},
		}
		if _, _, dropped := Merge(groups); len(dropped) != 2 {
			t.Fatalf("Merge dropped %v; the test needs groups that conflict", dropped)
		}
		merged, applied, dropped := Combine([]byte(src), groups)
		if !slices.Equal(applied, []int{0, 1, 2}) || len(dropped) != 0 {
			t.Fatalf("%q: applied %v, dropped %v; want all three combined", eol, applied, dropped)
		}
		out, err := Apply([]byte(src), merged)
		if err != nil {
			t.Fatal(err)
		}
		want := crlf(`services:
  a:
    image: postgres
    volumes:
      - a-data:/var/lib/postgresql/data
    secrets:
      - a-password
      - a-user
  b:
    image: mysql
    volumes:
      - b-data:/var/lib/mysql
volumes:
  a-data:
  b-data:
secrets:
  a-password:
    file: ./secrets/a-password
  a-user:
    file: ./secrets/a-user
`)
		if diff := cmp.Diff(want, string(out)); diff != "" {
			t.Errorf("%q: combined result (-want +got):\n%s", eol, diff)
		}
	}
}

// Combine leaves a group dropped whenever the combination would not mean
// what the fixes mean one at a time.
func TestCombineRefuses(t *testing.T) {
	src := "services:\n  a:\n    image: postgres\n"
	end := len(src) - 1
	ins := func(text string) []Edit { return []Edit{{Start: end, End: end, New: text}} }
	tests := []struct {
		name   string
		groups [][]Edit
	}{
		// The merged text parses (one z with q twice), but the fixes set
		// q to two values.
		{"one key, two values", [][]Edit{ins("\nz:\n  q: 1"), ins("\nz:\n  q: 2")}},
		{"one scalar, two values", [][]Edit{ins("\nz: 1"), ins("\nz: 2")}},
		// A mapping and a sequence under one key do not parse together.
		{"mapping and sequence", [][]Edit{ins("\nz:\n  q: 1"), ins("\nz:\n  - r")}},
		// Overlapping replacements are never combined.
		{"overlapping replacements", [][]Edit{
			{{Start: 14, End: 22, New: "image: redis"}},
			{{Start: 14, End: 22, New: "image: valkey"}},
		}},
		// An insertion inside a replaced range.
		{"insertion inside a replacement", [][]Edit{
			{{Start: 14, End: 30, New: "image: redis"}},
			{{Start: 20, End: 20, New: "x"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			merged, applied, dropped := Combine([]byte(src), tt.groups)
			if !slices.Equal(applied, []int{0}) || !slices.Equal(dropped, []int{1}) {
				out, _ := Apply([]byte(src), merged)
				t.Errorf("applied %v, dropped %v; want [0] and [1] (result %q)", applied, dropped, out)
			}
		})
	}
}

func TestMerge3(t *testing.T) {
	tests := []struct {
		name    string
		o, x, y string
		want    string // "" when the merge must fail
	}{
		{"appends to one sequence", "s: [a]", "s: [a, b]", "s: [a, c]", "s: [a, b, c]"},
		{"keys added on both sides", "m: {a: 1}", "m: {a: 1, b: 2}", "m: {a: 1, c: 3}", "m: {a: 1, b: 2, c: 3}"},
		{"one side changes, other adds", "m: {a: 1}", "m: {a: 5}", "m: {a: 1, c: 3}", "m: {a: 5, c: 3}"},
		{"removed on one side, untouched on the other", "m: {a: 1, b: 2}", "m: {b: 2}", "m: {a: 1, b: 2, c: 3}", "m: {b: 2, c: 3}"},
		{"same section created twice", "x: 1", "x: 1\nv: {a: null}", "x: 1\nv: {b: null}", "x: 1\nv: {a: null, b: null}"},
		{"same key, equal values", "x: 1", "x: 1\nk: v", "x: 1\nk: v", "x: 1\nk: v"},
		// secret-in-environment renames A to A_FILE in place: y's new key
		// goes where y put it, not after x's.
		{"keys renamed in place on both sides", "m: {A: 1, B: 2, C: 3}", "m: {A_FILE: 1, B: 2, C: 3}", "m: {A: 1, B: 2, C_FILE: 3}", "m: {A_FILE: 1, B: 2, C_FILE: 3}"},
		{"first key renamed on one side, key added on the other", "m: {A: 1, B: 2}", "m: {A: 1, B: 2, X: 9}", "m: {A_FILE: 1, B: 2}", "m: {A_FILE: 1, B: 2, X: 9}"},
		{"both add after one key", "m: {A: 1, B: 2}", "m: {A: 1, X: 8, B: 2}", "m: {A: 1, Y: 9, B: 2}", "m: {A: 1, X: 8, Y: 9, B: 2}"},
		{"one scalar, two values", "x: 1", "x: 2", "x: 3", ""},
		{"removed on one side, changed on the other", "m: {a: 1}", "m: {}", "m: {a: 2}", ""},
		{"sequence shortened on one side", "s: [a, b]", "s: [a]", "s: [a, b, c]", ""},
		{"one key, scalar and mapping", "x: 1", "x: 1\nk: v", "x: 1\nk: {a: 1}", ""},
	}
	parse := func(s string) *yaml.Node {
		docs, err := parseAll([]byte(s))
		if err != nil || len(docs) != 1 {
			t.Fatalf("parse %q: %v", s, err)
		}
		return docs[0]
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := merge3(parse(tt.o), parse(tt.x), parse(tt.y))
			if tt.want == "" {
				if ok {
					t.Errorf("merged, want a failure")
				}
				return
			}
			if !ok {
				t.Fatalf("failed, want %q", tt.want)
			}
			if path := diffPath(parse(tt.want), got); path != nil {
				t.Errorf("differs from %q at $%s", tt.want, strings.Join(path, ""))
			}
		})
	}
}

// When the dropped groups do not all combine, each is tried on its own:
// the ones that combine are applied, the others stay dropped.
func TestCombinePartly(t *testing.T) {
	src := "services:\n  a:\n    image: postgres\n"
	end := len(src) - 1
	ins := func(text string) []Edit { return []Edit{{Start: end, End: end, New: text}} }
	groups := [][]Edit{ins("\nz: 1"), ins("\nz: 2"), ins("\ny: 3"), ins("\nz: 4")}
	merged, applied, dropped := Combine([]byte(src), groups)
	if !slices.Equal(applied, []int{0, 2}) || !slices.Equal(dropped, []int{1, 3}) {
		t.Fatalf("applied %v, dropped %v; want [0 2] and [1 3]", applied, dropped)
	}
	out, err := Apply([]byte(src), merged)
	if err != nil {
		t.Fatal(err)
	}
	if want := src[:end] + "\nz: 1\ny: 3\n"; string(out) != want {
		t.Errorf("result %q, want %q", out, want)
	}
}
