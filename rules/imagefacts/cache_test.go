package imagefacts

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/composure-dev/composure/rules/knowledge"
)

func entry(i int) *knowledge.ImageConfig {
	// Entries of different sizes, so a torn write would not parse.
	vols := []string{}
	for k := 0; k <= i%7; k++ {
		vols = append(vols, fmt.Sprintf("/data/%d/%d", i, k))
	}
	return &knowledge.ImageConfig{Digest: "sha256:same", Volumes: vols, User: strconv.Itoa(i)}
}

// checkWhole reads the entry while others write it: every read is a miss
// (not written yet) or a whole entry one writer wrote.
func checkWhole(t *testing.T, c *Cache) {
	t.Helper()
	cfg, ok := c.Config("sha256:same", "linux/amd64")
	if !ok {
		if _, err := os.Stat(c.digestPath("sha256:same", "linux/amd64")); err == nil {
			t.Error("the entry exists but does not read back whole")
		}
		return
	}
	i, err := strconv.Atoi(cfg.User)
	if err != nil || len(cfg.Volumes) != i%7+1 || cfg.Volumes[0] != fmt.Sprintf("/data/%d/0", i) {
		t.Errorf("torn entry: %+v", cfg)
	}
}

func TestCacheParallelGoroutines(t *testing.T) {
	c := &Cache{Dir: t.TempDir(), TTL: time.Hour}
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if err := c.Put("acme/app:1", "linux/amd64", entry(w*50+i)); err != nil {
					t.Error(err)
				}
				checkWhole(t, c)
			}
		}()
	}
	wg.Wait()
	checkWhole(t, c)
	if d, ok := c.Digest("acme/app:1", "linux/amd64"); !ok || d != "sha256:same" {
		t.Errorf("ref entry: %q %v", d, ok)
	}
	left, _ := filepath.Glob(filepath.Join(c.Dir, "*", ".tmp-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %q", left)
	}
}

// TestCacheParallelProcesses runs this test binary twice at once, each
// writing the same entry, as two CI jobs sharing a cache would.
func TestCacheParallelProcesses(t *testing.T) {
	if dir := os.Getenv("COMPOSURE_TEST_CACHE_WRITER"); dir != "" {
		c := &Cache{Dir: dir, TTL: time.Hour}
		base, _ := strconv.Atoi(os.Getenv("COMPOSURE_TEST_CACHE_BASE"))
		for i := 0; i < 200; i++ {
			if err := c.Put("acme/app:1", "linux/amd64", entry(base+i)); err != nil {
				t.Fatal(err)
			}
			checkWhole(t, c)
		}
		return
	}
	dir := t.TempDir()
	var cmds []*exec.Cmd
	for p := 0; p < 2; p++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCacheParallelProcesses$", "-test.count=1")
		cmd.Env = append(os.Environ(), "COMPOSURE_TEST_CACHE_WRITER="+dir, "COMPOSURE_TEST_CACHE_BASE="+strconv.Itoa(p*1000))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	c := &Cache{Dir: dir, TTL: time.Hour}
	for i := 0; i < 200; i++ {
		checkWhole(t, c)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("writer process: %v", err)
		}
	}
	checkWhole(t, c)
	if _, ok := c.Config("sha256:same", "linux/amd64"); !ok {
		t.Error("no entry after both writers")
	}
}

func TestCacheTTL(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := &Cache{Dir: t.TempDir(), TTL: time.Hour, Now: func() time.Time { return now }}
	if err := c.Put("acme/app:1", "linux/amd64", entry(1)); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Digest("acme/app:1", "linux/arm64"); ok {
		t.Error("an entry for another platform")
	}
	now = now.Add(59 * time.Minute)
	if _, ok := c.Digest("acme/app:1", "linux/amd64"); !ok {
		t.Error("fresh ref entry missed")
	}
	now = now.Add(2 * time.Minute)
	if _, ok := c.Digest("acme/app:1", "linux/amd64"); ok {
		t.Error("ref entry served after its TTL")
	}
	if _, ok := c.Config("sha256:same", "linux/amd64"); !ok {
		t.Error("digest entry expired")
	}
	os.WriteFile(c.digestPath("sha256:same", "linux/amd64"), []byte("{garbage"), 0o644)
	if _, ok := c.Config("sha256:same", "linux/amd64"); ok {
		t.Error("a corrupt entry was served")
	}
}
