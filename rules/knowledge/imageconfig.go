package knowledge

import (
	"path"
	"strings"
)

// ImageConfig is what an image's own configuration says (the config blob
// of its manifest, or `docker image inspect`'s Config): read when the
// curated entries do not know the image and images mode is on.
type ImageConfig struct {
	// Digest identifies what was read: the manifest digest from a
	// registry, the image ID from the local engine.
	Digest     string   `json:"digest,omitempty"`
	Volumes    []string `json:"volumes,omitempty"` // sorted
	Env        []string `json:"env,omitempty"`     // KEY=value
	User       string   `json:"user,omitempty"`
	WorkingDir string   `json:"working_dir,omitempty"`
	Entrypoint []string `json:"entrypoint,omitempty"`
	Cmd        []string `json:"cmd,omitempty"`
	// Source is where it came from: "local engine", "registry" or
	// "cache" (a registry answer read back from the disk cache).
	Source string `json:"-"`
}

// ImageConfigs answers for image references written in compose files or
// FROM lines. ok is false when the config could not be read (not present
// locally, unreachable, unauthorized): the image stays unknown.
type ImageConfigs interface {
	ImageConfig(ref string) (cfg *ImageConfig, ok bool)
}

// WithImageConfigs returns a copy of k that also asks src about images
// the curated entries do not know. A nil src turns it off.
func (k *Knowledge) WithImageConfigs(src ImageConfigs) *Knowledge {
	n := *k
	n.configs = src
	return &n
}

// ImageConfigs returns the source of image configs, nil when images mode
// is off (then nothing but the curated entries and Dockerfiles is read).
func (k *Knowledge) ImageConfigs() ImageConfigs { return k.configs }

// stateless are path components that name what a declared VOLUME holds
// when it is not state: logs, caches, scratch space, sockets and pid
// files. Image authors declare VOLUME for those too (so they bypass the
// copy-on-write layer), and nobody loses anything when they go.
var stateless = map[string]bool{
	"log": true, "logs": true, "cache": true, "caches": true, ".cache": true,
	"tmp": true, "temp": true, "run": true, "sock": true, "socket": true, "sockets": true,
}

// StateVolumes splits the config's declared volumes into those that hold
// state and those that do not (see stateless; a component ending in .sock
// or .pid counts too, and so do /proc, /sys and /dev).
func (c *ImageConfig) StateVolumes() (state, skipped []string) {
	for _, v := range c.Volumes {
		if !strings.HasPrefix(v, "/") || strings.Contains(v, "$") {
			continue
		}
		v = path.Clean(v)
		if holdsNoState(v) {
			skipped = append(skipped, v)
		} else {
			state = append(state, v)
		}
	}
	return state, skipped
}

func holdsNoState(p string) bool {
	if p == "/" {
		return false
	}
	for _, c := range strings.Split(p[1:], "/") {
		c = strings.ToLower(c)
		if stateless[c] || strings.HasSuffix(c, ".sock") || strings.HasSuffix(c, ".pid") {
			return true
		}
	}
	switch strings.SplitN(p[1:], "/", 2)[0] {
	case "proc", "sys", "dev":
		return true
	}
	return false
}

// FromImageConfig makes an entry out of an image config's state volumes:
// stateful, with every such volume a data path the image declares VOLUME
// for. nil when the config declares none (the image may still keep state
// in its writable layer: it stays unknown).
func FromImageConfig(ref string, c *ImageConfig) *Image {
	state, _ := c.StateVolumes()
	if len(state) == 0 {
		return nil
	}
	repo, _ := splitRef(ref)
	img := &Image{ID: "image config of " + repo, Images: []string{repo}, Stateful: Stateful}
	for _, v := range state {
		img.DataPaths = append(img.DataPaths, DataPath{Path: v, VolumeDeclared: true})
	}
	return img
}

// EnvValue returns the value the config's Env gives name.
func (c *ImageConfig) EnvValue(name string) (string, bool) {
	for _, kv := range c.Env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			return v, true
		}
	}
	return "", false
}

// IsUserEntry reports an entry from the config file's `stateful-images:`
// rather than the curated data.
func (i *Image) IsUserEntry() bool { return i.user }
