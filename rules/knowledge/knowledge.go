// Package knowledge holds what composure knows about well-known container
// images: whether they keep state, where they keep it, which env vars carry
// secrets and whether the image reads <VAR>_FILE. The facts live in
// images.yaml, compiled into the binary as Go by `go generate` (see
// default.go).
//
// Everything returned by this package is shared and must be treated as
// read-only.
package knowledge

import (
	"path"
	"strings"
)

// Statefulness says whether an image keeps state that must persist.
// (The type cannot be called Stateful: that name is one of its values.)
type Statefulness int

// Statefulness values. The zero value is "unset": the data file never
// produces it, and With treats it as Stateful for user entries.
const (
	Stateless Statefulness = iota + 1
	Stateful
	// Conditional: state exists only when a feature or flag is on; see
	// Image.Condition and Image.PersistenceOff.
	Conditional
)

// String returns "stateless", "stateful", "conditional" or "unset".
func (s Statefulness) String() string {
	switch s {
	case Stateless:
		return "stateless"
	case Stateful:
		return "stateful"
	case Conditional:
		return "conditional"
	}
	return "unset"
}

// DataPath is a container path whose content must persist.
type DataPath struct {
	Path string
	// VolumeDeclared: the image's Dockerfile has VOLUME for Path, so without
	// a mount compose creates an anonymous volume (kept on recreate, lost on
	// down + up). false: the data goes to the container's writable layer.
	VolumeDeclared bool
	// MinMajor and MaxMajor bound the image major versions the path applies
	// to (inclusive, 0 = unbounded).
	MinMajor, MaxMajor int
	// Variants: tag components (e.g. "rootless"); the path applies only to
	// tags with one of them. A path without Variants applies only to tags
	// with none of the image's variants.
	Variants []string
	// InVolume is the image's VOLUME path that holds Path when a service
	// moved its data below it (PGDATA=/var/lib/postgresql/data/pgdata): a
	// mount above InVolume does not hold the data, since compose puts the
	// anonymous volume on InVolume on top of it.
	InVolume string
	// CoveredBy are paths below Path that the image documents as its data
	// directory too: a mount on one of them holds the data (bitnami mysql
	// keeps its data in /bitnami/mysql/data, and its docs mount either).
	// Only the listed paths count, so a mount one level too deep elsewhere
	// (postgres .../data/pgdata) is still missing its data.
	CoveredBy []string
	// Secondary: logs or snapshots the image writes beside its data
	// (zookeeper /logs, qdrant /qdrant/snapshots). They are not reported
	// once a data path that is not secondary is mounted.
	Secondary bool
}

// FileEnv describes an image's <VAR>_FILE support.
type FileEnv struct {
	// Supported is true only where the research verified it.
	Supported bool
	// Broken: setting <VAR>_FILE makes the container fail (rabbitmq 3.9+).
	// Vars then lists the names whose _FILE form breaks.
	Broken bool
	// Suffix is "_FILE" or "__FILE" (grafana, gitea).
	Suffix string
	// Vars are exact names that support the suffix.
	Vars []string
	// VarsPrefix: every name with one of these prefixes supports it
	// (grafana "GF_", gitea "GITEA__", neo4j "NEO4J_").
	VarsPrefix []string
	// NameOnly: the _FILE var holds a file name under /run/secrets/, not a
	// path (minio).
	NameOnly bool
	// ReadAsRoot: when the container starts as root (the service sets no
	// user:), the entrypoint reads <VAR>_FILE as root and only then drops
	// to User (docker-library postgres and mysql: file_env before gosu), so
	// a secret file readable by root alone is enough. Not mongo, whose
	// entrypoint drops to mongodb first. NotRootVariants are tag variants
	// whose image starts as User instead (mariadb -ubi: USER mysql).
	ReadAsRoot      bool
	NotRootVariants []string
	// OwnerOnly: the entrypoint refuses a file that others can read
	// (elasticsearch: mode 400 or 600 only).
	OwnerOnly bool
	Note      string
}

// EnvSwitch: the image keeps no local state when the service sets the env
// var Name to a value other than those in Except (compared
// case-insensitively). An empty Except means any non-empty value.
type EnvSwitch struct {
	Name   string
	Except []string
}

// DataArgs says where a command names the data path: every absolute-path
// argument after the subcommand After (minio `server /data`), skipping the
// values of SkipFlags (--certs-dir /certs). Volumes are the paths among them
// the image declares VOLUME for.
type DataArgs struct {
	After     string
	SkipFlags []string
	Volumes   []string
}

// ArgHint recognises a service command by its arguments: every sequence in
// All appears as consecutive arguments and none in Unless does. Values
// compare case-insensitively, after SplitCommand.
type ArgHint struct {
	All    [][]string
	Unless [][]string
}

// UserVariant is the user of the image's tags that have Variant as a
// component (alpine, also alpine3.20).
type UserVariant struct {
	Variant string
	User    string
}

// Image is one image family.
type Image struct {
	ID string
	// Images are the normalised repositories the entry matches. In user
	// entries (With) they may be globs such as "myorg/*-db".
	Images []string
	// Families are repository prefixes ending in '/' (lscr.io/linuxserver/):
	// the entry also matches every repository one level below one of them
	// that no entry names exactly, for vendors whose images all follow one
	// convention (linuxserver.io keeps state in /config).
	Families  []string
	Stateful  Statefulness
	Condition string // when Stateful == Conditional: when there is state
	// PersistenceOffArgs: command arguments that turn persistence off
	// (redis: --save ""). Zero when unknown.
	PersistenceOffArgs ArgHint
	// DataPaths are all paths, unfiltered by version or variant; use
	// Match.DataPaths for the ones that apply to a tag.
	DataPaths []DataPath
	// DataEnv: env var that relocates the data when the service sets it
	// (KAFKA_LOG_DIRS, GF_PATHS_DATA); its value, possibly a comma-separated
	// list, replaces DataPaths.
	DataEnv string
	// DataFlag: command-line flag that relocates the data when the
	// service's command gives it (mysqld --datadir=/x, mongod --dbpath /x);
	// its value replaces DataPaths, as DataEnv's does.
	DataFlag string
	// LatestMajor is the major assumed for untagged, latest, unresolved or
	// non-numeric tags; 0 when the paths do not depend on the version.
	LatestMajor int
	// MajorTagPrefix: read the major from a tag component <prefix><N>
	// ("pg" for timescaledb's "2.17.2-pg17") instead of the leading number.
	MajorTagPrefix string
	SecretEnv      []string // may contain '*' wildcards
	NotSecret      []string
	// ScanValueEnv: names whose value may embed a secret (a URL with
	// credentials, a config blob such as GITLAB_OMNIBUS_CONFIG) without the
	// name making every value one. Value detection decides; the names are
	// not in SecretEnv. May contain '*' wildcards.
	ScanValueEnv []string
	// StatelessWhenEnv: env settings that make the image keep no local
	// state (keycloak with an external database, registry with S3
	// storage). See StatelessFor.
	StatelessWhenEnv []EnvSwitch
	// DataFromArgs: the data path is a command argument (minio
	// `server /data`). Zero when not. See DataPathsFromCommand.
	DataFromArgs DataArgs
	// TagNotMajor: the tag is not the version the data layout depends on
	// (debezium example images are tagged with the Debezium release, not
	// the PostgreSQL major), so Match.MajorUnknown is always set for
	// version-dependent paths.
	TagNotMajor bool
	// SecretArgs are command-line flags whose value is a secret
	// (--requirepass <pw>, --api-key=<key>).
	SecretArgs []string
	FileEnv    FileEnv
	// User is the uid, or uid:gid, the image's process runs as and writes
	// its data with ("999:999", "0" for root), as its Dockerfile or
	// entrypoint sets it; "" when not known. A fix that delivers a secret
	// file must make it readable by this user.
	User string
	// UserVariants: tag variants whose image runs as another user
	// (postgres alpine tags: 70:70). See UserFor.
	UserVariants []UserVariant

	// user: added by With, wins over built-in entries. Values derived
	// from the exported fields are not cached here: the built-in entries
	// are static data, and writing to them in Default would cost a
	// copy-on-write page fault per page at start-up (see pathsFor).
	user bool
}

// Match is the result of looking up one image reference.
type Match struct {
	Image *Image
	Repo  string // normalised repository, e.g. "postgres", "bitnami/postgresql"
	Tag   string // "" when absent; may hold an unresolved ${VAR}
	// Major is the tag's major version; when the tag has none (untagged,
	// latest, alpine, ${VAR}) the entry's LatestMajor; 0 when neither.
	Major int
	// DataPaths are the paths that apply to this tag. Shared: do not modify.
	DataPaths []DataPath
	// MajorUnknown: the paths depend on the major version, but neither the
	// tag nor the entry (LatestMajor) says which. DataPaths then holds every
	// candidate path; they are alternatives, not all required.
	MajorUnknown bool
}

// Knowledge is an immutable index from normalised repository to Image.
type Knowledge struct {
	images   []*Image          // built-in entries, then user entries
	index    map[string]*Image // exact repository -> entry; user entries win
	globs    []glob            // user patterns, in order
	families []family          // built-in vendor prefixes, tried after index
	// configs reads image configs for images no entry knows; nil when
	// images mode is off (WithImageConfigs).
	configs ImageConfigs
}

type family struct {
	prefix string
	image  *Image
}

type glob struct {
	pattern string
	image   *Image
}

// All returns every entry, built-in first. Shared: do not modify.
func (k *Knowledge) All() []*Image { return k.images }

// Lookup finds the entry for an image reference as written in a compose
// file (`image:`), e.g. "docker.io/library/postgres:16-alpine@sha256:…".
// Registry prefixes docker.io/, index.docker.io/, registry-1.docker.io/ and
// library/ are ignored; any other registry makes a different repository.
func (k *Knowledge) Lookup(ref string) (Match, bool) {
	repo, tag := splitRef(ref)
	if repo == "" {
		return Match{}, false
	}
	img := k.find(repo)
	if img == nil {
		return Match{}, false
	}
	m := Match{Image: img, Repo: repo, Tag: tag}
	major, known := tagMajor(tag, img.MajorTagPrefix)
	if img.TagNotMajor {
		major, known = 0, false
	}
	if !known && img.LatestMajor > 0 {
		major, known = img.LatestMajor, true
	}
	m.Major = major
	m.DataPaths, m.MajorUnknown = img.pathsFor(major, known, tag)
	return m, true
}

func (k *Knowledge) find(repo string) *Image {
	img := k.index[repo]
	if len(k.globs) == 0 || (img != nil && img.user) {
		if img == nil {
			return k.family(repo)
		}
		return img
	}
	for _, g := range k.globs {
		if ok, _ := path.Match(g.pattern, repo); ok {
			return g.image
		}
	}
	if img == nil {
		return k.family(repo)
	}
	return img
}

// family finds the vendor entry whose prefix holds repo one level below
// it: lscr.io/linuxserver/sonarr, not lscr.io/linuxserver/a/b.
func (k *Knowledge) family(repo string) *Image {
	for _, f := range k.families {
		if rest, ok := strings.CutPrefix(repo, f.prefix); ok && rest != "" && strings.IndexByte(rest, '/') < 0 {
			return f.image
		}
	}
	return nil
}

// With returns a copy of k extended with user entries (the config key
// `stateful-images:`); k itself is not changed. User entries win over
// built-in ones. extra entries match their Images (names or globs such as
// "myorg/*-db", see path.Match); an entry whose Stateful is unset counts as
// Stateful. Each of patterns (a name or glob) marks matching images as
// stateful with no further knowledge. Names are normalised like Lookup's;
// malformed globs never match (see CheckPattern).
func (k *Knowledge) With(extra []Image, patterns []string) *Knowledge {
	n := &Knowledge{
		images: make([]*Image, len(k.images), len(k.images)+len(extra)+len(patterns)),
		index:  make(map[string]*Image, len(k.index)+len(extra)+len(patterns)),
		globs:  append([]glob(nil), k.globs...),
		// built-in data, never changed: shared
		families: k.families,
		configs:  k.configs,
	}
	copy(n.images, k.images)
	for name, img := range k.index {
		n.index[name] = img
	}
	add := func(img *Image) {
		if img.Stateful == 0 {
			img.Stateful = Stateful
		}
		img.user = true
		n.images = append(n.images, img)
		for _, name := range img.Images {
			name = normalizePattern(name)
			if strings.ContainsAny(name, "*?[") {
				n.globs = append(n.globs, glob{name, img})
			} else if name != "" {
				n.index[name] = img
			}
		}
	}
	for i := range extra {
		img := extra[i] // copy; slices stay shared with the caller
		add(&img)
	}
	for _, p := range patterns {
		add(&Image{ID: p, Images: []string{p}, Stateful: Stateful})
	}
	return n
}

// CheckPattern reports whether p is a well-formed image glob for With.
func CheckPattern(p string) error {
	_, err := path.Match(normalizePattern(p), "")
	return err
}

func normalizePattern(p string) string {
	p = strings.ToLower(strings.TrimSpace(p))
	return stripDefaultRegistry(p)
}

// pathsFor selects the data paths that apply to a major version and tag.
// It returns a sub-slice of the entry's paths, capacity-limited so appends
// copy, when they are contiguous (always, for the built-in data) so Lookup
// does not allocate.
func (img *Image) pathsFor(major int, known bool, tag string) ([]DataPath, bool) {
	// Whether the paths depend on the version, and the first of the entry's
	// variants the tag has, are worked out per call over the few paths
	// rather than stored in the entry (see Image.user).
	versions, variants, variant := false, false, ""
	for i := range img.DataPaths {
		p := &img.DataPaths[i]
		if p.MinMajor > 0 || p.MaxMajor > 0 {
			versions = true
		}
		for _, v := range p.Variants {
			variants = true
			if variant == "" && hasTagComponent(tag, v) {
				variant = v
			}
		}
	}
	all := img.DataPaths[:len(img.DataPaths):len(img.DataPaths)]
	unknown := versions && !known
	if !versions && !variants {
		return all, false
	}
	first, last, contiguous := -1, -1, true
	for i := range img.DataPaths {
		if !img.DataPaths[i].applies(major, unknown, variant) {
			continue
		}
		if first < 0 {
			first = i
		} else if last != i-1 {
			contiguous = false
		}
		last = i
	}
	switch {
	case first < 0:
		return nil, unknown
	case contiguous:
		return all[first : last+1 : last+1], unknown
	}
	var out []DataPath
	for _, p := range img.DataPaths {
		if p.applies(major, unknown, variant) {
			out = append(out, p)
		}
	}
	return out, unknown
}

func (p *DataPath) applies(major int, unknownMajor bool, variant string) bool {
	if len(p.Variants) == 0 {
		if variant != "" {
			return false
		}
	} else if !containsString(p.Variants, variant) {
		return false
	}
	if unknownMajor {
		return true
	}
	if p.MinMajor > 0 && major < p.MinMajor {
		return false
	}
	if p.MaxMajor > 0 && major > p.MaxMajor {
		return false
	}
	return true
}

func containsString(list []string, s string) bool {
	if s == "" {
		return false
	}
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
