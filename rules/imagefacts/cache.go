package imagefacts

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	"github.com/composure-dev/composure/rules/knowledge"
)

// Cache keeps registry answers on disk, so CI runs stay fast and work
// offline: a reference entry (ref and platform → manifest digest) expires
// after TTL, since a tag moves; a digest entry (digest and platform → the
// config) never does, since a digest names fixed content. Entries are
// written to a temporary file in the same directory and renamed over the
// old one, so parallel runs never read a half-written entry: the last
// writer wins with a whole one.
type Cache struct {
	Dir string
	TTL time.Duration
	Now func() time.Time
}

// DefaultCacheDir is os.UserCacheDir()/composure/images ("" when the
// system has no cache directory: nothing is cached).
func DefaultCacheDir() string {
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "composure", "images")
}

// cacheVersion changes when an entry's format does; older entries are
// then misses.
const cacheVersion = 1

type refEntry struct {
	Version  int       `json:"version"`
	Ref      string    `json:"ref"`
	Platform string    `json:"platform"`
	Digest   string    `json:"digest"`
	Fetched  time.Time `json:"fetched"`
}

type digestEntry struct {
	Version  int                    `json:"version"`
	Digest   string                 `json:"digest"`
	Platform string                 `json:"platform"`
	Config   *knowledge.ImageConfig `json:"config"`
}

func key(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (c *Cache) refPath(ref, platform string) string {
	return filepath.Join(c.Dir, "refs", key(ref, platform)+".json")
}

func (c *Cache) digestPath(digest, platform string) string {
	return filepath.Join(c.Dir, "digests", key(digest, platform)+".json")
}

func (c *Cache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Digest returns the digest ref resolved to, while that answer is fresh.
func (c *Cache) Digest(ref, platform string) (string, bool) {
	if c == nil || c.Dir == "" {
		return "", false
	}
	var e refEntry
	if !readJSON(c.refPath(ref, platform), &e) || e.Version != cacheVersion || e.Ref != ref || e.Platform != platform || e.Digest == "" {
		return "", false
	}
	if age := c.now().Sub(e.Fetched); age < 0 || age > c.TTL {
		return "", false
	}
	return e.Digest, true
}

// Config returns the config stored for a digest.
func (c *Cache) Config(digest, platform string) (*knowledge.ImageConfig, bool) {
	if c == nil || c.Dir == "" {
		return nil, false
	}
	var e digestEntry
	if !readJSON(c.digestPath(digest, platform), &e) || e.Version != cacheVersion || e.Digest != digest || e.Platform != platform || e.Config == nil {
		return nil, false
	}
	return e.Config, true
}

// Put stores a registry answer: the config under its digest, then the
// reference under which it was asked for. Errors are returned for the
// caller to note; a failed write only costs a later lookup.
func (c *Cache) Put(ref, platform string, cfg *knowledge.ImageConfig) error {
	if c == nil || c.Dir == "" {
		return nil
	}
	if err := writeJSON(c.digestPath(cfg.Digest, platform), digestEntry{cacheVersion, cfg.Digest, platform, cfg}); err != nil {
		return err
	}
	if ref == cfg.Digest {
		return nil
	}
	return writeJSON(c.refPath(ref, platform), refEntry{cacheVersion, ref, platform, cfg.Digest, c.now().UTC()})
}

func readJSON(path string, v any) bool {
	b, err := os.ReadFile(path)
	return err == nil && json.Unmarshal(b, v) == nil
}

// writeJSON writes v to path atomically: a temporary file in the same
// directory, renamed over path.
func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(b)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp, path)
	}
	if werr != nil {
		os.Remove(tmp)
	}
	return werr
}
