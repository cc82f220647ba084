package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Decoding and validation of images.yaml. The schema is documented at the
// top of that file. The built-in file is decoded when it is generated (see
// default.go), not at run time; Parse remains for that and for tests.

type rawFile struct {
	Version int        `yaml:"version"`
	Images  []rawImage `yaml:"images"`
}

type rawImage struct {
	ID             string        `yaml:"id"`
	Images         []string      `yaml:"images"`
	Families       []string      `yaml:"families"`
	Stateful       string        `yaml:"stateful"`
	Condition      string        `yaml:"condition"`
	PersistenceOff *rawArgHint   `yaml:"persistence_off"`
	LatestMajor    int           `yaml:"latest_major"`
	MajorTagPrefix string        `yaml:"major_tag_prefix"`
	DataPaths      []rawDataPath `yaml:"data_paths"`
	DataEnv        string        `yaml:"data_env"`
	DataFlag       string        `yaml:"data_flag"`
	SecretEnv      []string      `yaml:"secret_env"`
	NotSecret      []string      `yaml:"not_secret"`
	SecretArgs     []string      `yaml:"secret_args"`
	FileEnv        *rawFileEnv   `yaml:"file_env"`
	ScanValue      []string      `yaml:"scan_value"`
	StatelessEnv   []rawEnvSw    `yaml:"stateless_when_env"`
	DataFromArgs   *rawDataArgs  `yaml:"data_from_args"`
	TagNotMajor    bool          `yaml:"tag_not_major"`
	User           string        `yaml:"user"`
	UserVariants   []rawUserVar  `yaml:"user_variants"`
}

type rawUserVar struct {
	Variant string `yaml:"variant"`
	User    string `yaml:"user"`
}

type rawEnvSw struct {
	Name   string   `yaml:"name"`
	Except []string `yaml:"except"`
}

type rawDataArgs struct {
	After     string   `yaml:"after"`
	SkipFlags []string `yaml:"skip_flags"`
	Volumes   []string `yaml:"volumes"`
}

type rawArgHint struct {
	All    [][]string `yaml:"all"`
	Unless [][]string `yaml:"unless"`
}

type rawDataPath struct {
	Path           string   `yaml:"path"`
	VolumeDeclared *bool    `yaml:"volume_declared"`
	MinMajor       int      `yaml:"min_major"`
	MaxMajor       int      `yaml:"max_major"`
	Variants       []string `yaml:"variants"`
	CoveredBy      []string `yaml:"covered_by"`
	Secondary      bool     `yaml:"secondary"`
}

type rawFileEnv struct {
	Supported  *bool    `yaml:"supported"`
	Broken     bool     `yaml:"broken"`
	Suffix     string   `yaml:"suffix"`
	Vars       []string `yaml:"vars"`
	VarsPrefix []string `yaml:"vars_prefix"`
	NameOnly   bool     `yaml:"name_only"`
	ReadAsRoot bool     `yaml:"read_as_root"`
	NotRoot    []string `yaml:"not_root_variants"`
	OwnerOnly  bool     `yaml:"owner_only"`
	Note       string   `yaml:"note"`
}

// Parse decodes and validates a knowledge file in the images.yaml format.
// Unknown keys, duplicate keys, ids or image names, names that are not
// normalised, relative paths and invalid values are errors.
func Parse(data []byte) (*Knowledge, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f rawFile
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	if f.Version != 1 {
		return nil, fmt.Errorf("version: want 1, got %d", f.Version)
	}
	if len(f.Images) == 0 {
		return nil, errors.New("images: empty")
	}
	k := &Knowledge{
		images: make([]*Image, 0, len(f.Images)),
		index:  make(map[string]*Image, 2*len(f.Images)),
	}
	ids := make(map[string]bool, len(f.Images))
	for i := range f.Images {
		r := &f.Images[i]
		img, err := r.convert()
		if err != nil {
			if r.ID != "" {
				return nil, fmt.Errorf("image %q: %w", r.ID, err)
			}
			return nil, fmt.Errorf("images[%d]: %w", i, err)
		}
		if ids[img.ID] {
			return nil, fmt.Errorf("image %q: duplicate id", img.ID)
		}
		ids[img.ID] = true
		for _, name := range img.Images {
			if other := k.index[name]; other != nil {
				return nil, fmt.Errorf("image %q: %q is already in %q", img.ID, name, other.ID)
			}
			k.index[name] = img
		}
		for _, prefix := range img.Families {
			for _, f := range k.families {
				if f.prefix == prefix {
					return nil, fmt.Errorf("image %q: family %q is already in %q", img.ID, prefix, f.image.ID)
				}
			}
			k.families = append(k.families, family{prefix, img})
		}
		k.images = append(k.images, img)
	}
	return k, nil
}

func (r *rawImage) convert() (*Image, error) {
	if r.ID == "" {
		return nil, errors.New("id: missing")
	}
	img := &Image{
		ID:             r.ID,
		Condition:      r.Condition,
		LatestMajor:    r.LatestMajor,
		MajorTagPrefix: r.MajorTagPrefix,
		DataEnv:        r.DataEnv,
		DataFlag:       r.DataFlag,
		SecretEnv:      r.SecretEnv,
		NotSecret:      r.NotSecret,
		SecretArgs:     r.SecretArgs,
		ScanValueEnv:   r.ScanValue,
		TagNotMajor:    r.TagNotMajor,
		User:           r.User,
	}
	if r.User != "" && !isUser(r.User) {
		return nil, fmt.Errorf("user: want uid or uid:gid, got %q", r.User)
	}
	if len(r.UserVariants) > 0 && r.User == "" {
		return nil, errors.New("user_variants: only with user")
	}
	for _, uv := range r.UserVariants {
		if uv.Variant == "" || strings.ContainsAny(uv.Variant, " -") || !isUser(uv.User) {
			return nil, fmt.Errorf("user_variants: bad entry %q: %q", uv.Variant, uv.User)
		}
		img.UserVariants = append(img.UserVariants, UserVariant{Variant: uv.Variant, User: uv.User})
	}
	switch r.Stateful {
	case "true":
		img.Stateful = Stateful
	case "false":
		img.Stateful = Stateless
	case "conditional":
		img.Stateful = Conditional
	default:
		return nil, fmt.Errorf("stateful: want true, false or conditional, got %q", r.Stateful)
	}
	if (img.Stateful == Conditional) != (r.Condition != "") {
		return nil, errors.New("condition: required for conditional entries and only there")
	}
	if len(r.Images) == 0 {
		return nil, errors.New("images: empty")
	}
	seen := make(map[string]bool, len(r.Images))
	for _, name := range r.Images {
		if name == "" || normalizeRepo(name) != name || strings.ContainsAny(name, "@*?[$ ") {
			return nil, fmt.Errorf("images: %q is not a normalised repository", name)
		}
		if repo, tag := splitRef(name); repo != name || tag != "" {
			return nil, fmt.Errorf("images: %q has a tag", name)
		}
		if seen[name] {
			return nil, fmt.Errorf("images: %q listed twice", name)
		}
		seen[name] = true
	}
	img.Images = r.Images
	for _, f := range r.Families {
		name := strings.TrimSuffix(f, "/")
		if !strings.HasSuffix(f, "/") || name == "" || normalizeRepo(name) != name || strings.ContainsAny(name, "@*?[$ ") {
			return nil, fmt.Errorf("families: %q is not a normalised repository prefix ending in /", f)
		}
	}
	img.Families = r.Families

	if r.PersistenceOff != nil {
		if img.Stateful != Conditional {
			return nil, errors.New("persistence_off: only for conditional entries")
		}
		if len(r.PersistenceOff.All) == 0 {
			return nil, errors.New("persistence_off.all: empty")
		}
		for _, list := range [][][]string{r.PersistenceOff.All, r.PersistenceOff.Unless} {
			for _, seq := range list {
				if len(seq) == 0 {
					return nil, errors.New("persistence_off: empty argument sequence")
				}
			}
		}
		img.PersistenceOffArgs = ArgHint{All: r.PersistenceOff.All, Unless: r.PersistenceOff.Unless}
	}

	if r.DataFlag != "" && !isLongFlag(r.DataFlag) {
		return nil, fmt.Errorf("data_flag: bad flag %q (want --name)", r.DataFlag)
	}
	if img.Stateful == Stateless && (len(r.DataPaths) > 0 || r.DataEnv != "" || r.DataFlag != "") {
		return nil, errors.New("data_paths, data_env, data_flag: a stateless image has none")
	}
	versioned, primary := false, false
	paths := make(map[string]bool, len(r.DataPaths))
	for _, p := range r.DataPaths {
		if !isAbsPath(p.Path) {
			return nil, fmt.Errorf("data_paths: %q is not a clean absolute path", p.Path)
		}
		if p.VolumeDeclared == nil {
			return nil, fmt.Errorf("data_paths: %q: volume_declared missing", p.Path)
		}
		if p.MinMajor < 0 || p.MaxMajor < 0 || (p.MaxMajor > 0 && p.MinMajor > p.MaxMajor) {
			return nil, fmt.Errorf("data_paths: %q: bad major range", p.Path)
		}
		if p.MinMajor > 0 || p.MaxMajor > 0 {
			versioned = true
		}
		for _, v := range p.Variants {
			// A variant is one tag component or a run of them (datacenter-search).
			if v == "" || strings.ContainsAny(v, " \t") || v[0] == '-' || v[len(v)-1] == '-' || strings.Contains(v, "--") {
				return nil, fmt.Errorf("data_paths: %q: bad variant %q", p.Path, v)
			}
		}
		key := fmt.Sprint(p.Path, p.MinMajor, p.MaxMajor, p.Variants)
		if paths[key] {
			return nil, fmt.Errorf("data_paths: %q listed twice", p.Path)
		}
		paths[key] = true
		for _, c := range p.CoveredBy {
			if !isAbsPath(c) || !strings.HasPrefix(c, p.Path+"/") {
				return nil, fmt.Errorf("data_paths: %q: covered_by %q is not a clean absolute path below it", p.Path, c)
			}
		}
		img.DataPaths = append(img.DataPaths, DataPath{
			Path: p.Path, VolumeDeclared: *p.VolumeDeclared,
			MinMajor: p.MinMajor, MaxMajor: p.MaxMajor, Variants: p.Variants,
			CoveredBy: p.CoveredBy, Secondary: p.Secondary,
		})
		if !p.Secondary {
			primary = true
		}
	}
	if len(r.DataPaths) > 0 && !primary {
		return nil, errors.New("data_paths: all secondary; at least one must be the data")
	}
	if r.LatestMajor < 0 || (r.LatestMajor > 0 && !versioned) {
		return nil, errors.New("latest_major: only for entries with version-dependent data_paths")
	}
	if r.MajorTagPrefix != "" && !versioned {
		return nil, errors.New("major_tag_prefix: only for entries with version-dependent data_paths")
	}
	if r.TagNotMajor && (!versioned || r.LatestMajor > 0 || r.MajorTagPrefix != "") {
		return nil, errors.New("tag_not_major: only for version-dependent data_paths, without latest_major or major_tag_prefix")
	}

	if err := img.convertStateless(r); err != nil {
		return nil, err
	}

	for _, list := range [][]string{r.SecretEnv, r.NotSecret, r.SecretArgs, r.ScanValue} {
		for _, name := range list {
			if name == "" || strings.ContainsAny(name, " =$") {
				return nil, fmt.Errorf("bad name %q", name)
			}
		}
	}
	for _, s := range r.SecretEnv {
		if img.IsNotSecret(s) {
			return nil, fmt.Errorf("%q is both secret_env and not_secret", s)
		}
		if matchName(r.ScanValue, s) {
			return nil, fmt.Errorf("%q is both secret_env and scan_value", s)
		}
	}
	for _, s := range r.ScanValue {
		if matchName(r.NotSecret, s) {
			return nil, fmt.Errorf("%q is both scan_value and not_secret", s)
		}
	}

	if fe := r.FileEnv; fe != nil {
		if fe.Supported == nil {
			return nil, errors.New("file_env.supported: missing")
		}
		img.FileEnv = FileEnv{
			Supported: *fe.Supported, Broken: fe.Broken, Suffix: fe.Suffix,
			Vars: fe.Vars, VarsPrefix: fe.VarsPrefix, NameOnly: fe.NameOnly, Note: fe.Note,
			ReadAsRoot: fe.ReadAsRoot, NotRootVariants: fe.NotRoot, OwnerOnly: fe.OwnerOnly,
		}
		switch {
		case fe.Suffix != "" && fe.Suffix != "_FILE" && fe.Suffix != "__FILE":
			return nil, fmt.Errorf("file_env.suffix: want _FILE or __FILE, got %q", fe.Suffix)
		case *fe.Supported && fe.Broken:
			return nil, errors.New("file_env: supported and broken")
		case (*fe.Supported || fe.Broken) && len(fe.Vars) == 0 && len(fe.VarsPrefix) == 0:
			return nil, errors.New("file_env: vars or vars_prefix required")
		case !*fe.Supported && !fe.Broken && (len(fe.Vars) > 0 || len(fe.VarsPrefix) > 0 || fe.NameOnly):
			return nil, errors.New("file_env: vars given but not supported")
		case !*fe.Supported && fe.ReadAsRoot, len(fe.NotRoot) > 0 && !fe.ReadAsRoot:
			return nil, errors.New("file_env: read_as_root needs supported, not_root_variants needs read_as_root")
		}
		if img.FileEnv.Suffix == "" {
			img.FileEnv.Suffix = "_FILE"
		}
	}
	return img, nil
}

// convertStateless checks and copies stateless_when_env and data_from_args.
func (img *Image) convertStateless(r *rawImage) error {
	if (len(r.StatelessEnv) > 0 || r.DataFromArgs != nil) && img.Stateful == Stateless {
		return errors.New("stateless_when_env, data_from_args: a stateless image has no state to qualify")
	}
	seen := make(map[string]bool, len(r.StatelessEnv))
	for _, sw := range r.StatelessEnv {
		if sw.Name == "" || strings.ContainsAny(sw.Name, " =$") {
			return fmt.Errorf("stateless_when_env: bad name %q", sw.Name)
		}
		if seen[sw.Name] {
			return fmt.Errorf("stateless_when_env: %q listed twice", sw.Name)
		}
		seen[sw.Name] = true
		for _, v := range sw.Except {
			if strings.TrimSpace(v) == "" {
				return fmt.Errorf("stateless_when_env: %q: empty except value", sw.Name)
			}
		}
		img.StatelessWhenEnv = append(img.StatelessWhenEnv, EnvSwitch{Name: sw.Name, Except: sw.Except})
	}
	if a := r.DataFromArgs; a != nil {
		if a.After == "" || strings.ContainsAny(a.After, " \t") {
			return fmt.Errorf("data_from_args.after: bad subcommand %q", a.After)
		}
		for _, f := range a.SkipFlags {
			if len(f) < 2 || f[0] != '-' || strings.ContainsAny(f, " =") {
				return fmt.Errorf("data_from_args.skip_flags: bad flag %q", f)
			}
		}
		for _, v := range a.Volumes {
			if !isAbsPath(v) {
				return fmt.Errorf("data_from_args.volumes: %q is not a clean absolute path", v)
			}
		}
		img.DataFromArgs = DataArgs{After: a.After, SkipFlags: a.SkipFlags, Volumes: a.Volumes}
	}
	return nil
}

// isAbsPath accepts clean absolute Unix paths and Windows drive paths
// (C:\data\db, used by windows image variants).
func isAbsPath(p string) bool {
	if len(p) >= 3 && p[1] == ':' && p[2] == '\\' && ('A' <= p[0] && p[0] <= 'Z') {
		return !strings.Contains(p, "/")
	}
	return strings.HasPrefix(p, "/") && path.Clean(p) == p
}

// isUser accepts a numeric uid or uid:gid.
func isUser(u string) bool {
	uid, gid, hasGid := strings.Cut(u, ":")
	digits := func(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
	return digits(uid) && (!hasGid || digits(gid))
}

// isLongFlag reports a long command-line flag: --datadir, --dbpath.
func isLongFlag(f string) bool {
	name, ok := strings.CutPrefix(f, "--")
	if !ok || name == "" || name[0] < 'a' || name[0] > 'z' {
		return false
	}
	return strings.Trim(name, "abcdefghijklmnopqrstuvwxyz0123456789-") == ""
}
