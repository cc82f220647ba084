package secrets

import (
	"strings"
	"testing"
	"time"
)

// TestAdversarialInputs guards against super-linear scans (deep nesting,
// many unclosed `${`, many URLs). Each input is ~100 KB; the budget is
// ~1000x the time measured when the bounds were added.
func TestAdversarialInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("slow inputs")
	}
	n := 20000
	inputs := map[string]string{
		"many ${":        strings.Repeat("${", n),
		"many ${A:-":     strings.Repeat("${A:-", n),
		"deeply nested":  strings.Repeat("${A:-", n) + strings.Repeat("}", n),
		"many ://":       strings.Repeat("a://", n),
		"url unclosed":   strings.Repeat("a://${A:-x", n),
		"url closed":     strings.Repeat("a://${A:-x}:${B}@h ", n/4),
		"url many :@":    "a://" + strings.Repeat(":@", n),
		"many $":         strings.Repeat("$A", n),
		"many eyJ":       strings.Repeat("eyJ", n),
		"many inline":    strings.Repeat(`password="x" `, n/10),
		"spaces":         strings.Repeat("a ", n),
		"many urls":      strings.Repeat("a://b:c@d ", n/10),
		"quotes":         strings.Repeat(`"'`, n),
		"nested sh -c":   strings.Repeat(`sh -c "`, 2000),
		"many mixed":     strings.Repeat("x${A:-y}", n/4),
		"many -p":        "mysql " + strings.Repeat("-pabc ", n/10),
		"many github":    strings.Repeat(fakeGitHub+" ", n/40),
		"many private k": strings.Repeat("PRIVATE KEY ", n/10),
	}
	for name, in := range inputs {
		start := time.Now()
		Check("PASSWORD", in, Hints{})
		Check("X", in, Hints{})
		CheckValue(in)
		CheckCommand([]string{in})
		CheckCommand(strings.Fields(in))
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s: %v", name, d)
		}
	}
}
