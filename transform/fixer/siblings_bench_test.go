package fixer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform/fixer"
)

// siblingLayout writes n compose files into one directory, all sharing
// its .env, as a monorepo's examples/ (and the corpus) do: a quarter move
// a literal secret into the .env (some with a variable name another file
// also wants), a quarter interpolate such a variable with a default, a
// quarter load the .env whole with env_file, a quarter have nothing to
// fix. Each fix must be verified against every sibling.
func siblingLayout(tb testing.TB, n int) string {
	dir := tb.TempDir()
	for i := range n {
		var content string
		switch i % 4 {
		case 0:
			content = fmt.Sprintf("services:\n  app%d:\n    image: example.org/app%d:1\n    environment:\n      API_TOKEN_%d: \"tq8Zr2Lx%dWv7Kp3N\"\n", i, i, i%16, i)
		case 1:
			content = fmt.Sprintf("services:\n  web%d:\n    image: example.org/web:1\n    environment:\n      TOKEN: ${API_TOKEN_%d:-none}\n", i, (i-1)%16)
		case 2:
			content = fmt.Sprintf("services:\n  worker%d:\n    image: example.org/worker:1\n    env_file:\n      - path: .env\n        required: false\n", i)
		default:
			content = fmt.Sprintf("services:\n  cache%d:\n    image: redis:7\n", i)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("compose-%03d.yaml", i)), []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// BenchmarkFixSiblings measures fix --diff (nothing written) on n sibling
// projects sharing one .env: how verification scales with the siblings.
func BenchmarkFixSiblings(b *testing.B) {
	for _, n := range []int{16, 64, 256} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			dir := siblingLayout(b, n)
			specs, errs := project.Discover([]string{dir})
			if len(errs) > 0 {
				b.Fatal(errs)
			}
			all := rules.All()
			cfg := lint.Config{Catalogue: all, Rules: all, Load: project.Options{Environ: []string{}}}
			var res *fixer.Result
			for b.Loop() {
				res = fixer.Fix(context.Background(), specs, cfg, fixer.Options{DryRun: true})
			}
			if len(res.Changes) == 0 {
				b.Fatal("nothing fixed: the layout does not exercise verification")
			}
			b.ReportMetric(float64(res.Passes), "passes")
			b.ReportMetric(float64(len(res.Withheld)), "withheld")
		})
	}
}
