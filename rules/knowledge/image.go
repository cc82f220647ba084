package knowledge

import (
	"path"
	"slices"
	"strings"
)

// Questions the rules ask about one image.

// SupportsFileEnv says whether the image reads v from a file named by a
// companion variable, and returns that variable's name:
// "POSTGRES_PASSWORD" → "POSTGRES_PASSWORD_FILE"; grafana
// "GF_SECURITY_ADMIN_PASSWORD" → "GF_SECURITY_ADMIN_PASSWORD__FILE". It is
// false when the image does not support it, when it is known to break
// (rabbitmq), and for names that already end in the suffix. Names compare
// exactly: the container sees them that way. Check FileEnv.NameOnly before
// writing a path into the variable.
func (i *Image) SupportsFileEnv(v string) (fileVar string, ok bool) {
	if !i.supportsFileEnv(v) {
		return "", false
	}
	return v + i.FileEnv.Suffix, true
}

func (i *Image) supportsFileEnv(v string) bool {
	fe := &i.FileEnv
	if !fe.Supported || fe.Broken || v == "" || strings.HasSuffix(v, fe.Suffix) {
		return false
	}
	for _, name := range fe.Vars {
		if name == v {
			return true
		}
	}
	for _, p := range fe.VarsPrefix {
		if len(v) > len(p) && strings.HasPrefix(v, p) {
			return true
		}
	}
	return false
}

// IsSecretEnv reports whether the image documents name as carrying a
// secret. Case-insensitive; entries may use '*' wildcards.
func (i *Image) IsSecretEnv(name string) bool {
	return matchName(i.SecretEnv, name)
}

// IsNotSecret reports whether name looks secret but is not, for this image:
// it is listed in NotSecret (case-insensitive), or it is the file-reference
// form of a variable the image reads from a file (POSTGRES_PASSWORD_FILE,
// GF_SECURITY_ADMIN_PASSWORD__FILE), whose value is a path.
func (i *Image) IsNotSecret(name string) bool {
	if matchName(i.NotSecret, name) {
		return true
	}
	if s := i.FileEnv.Suffix; s != "" && len(name) > len(s) && strings.HasSuffix(name, s) {
		return i.supportsFileEnv(name[:len(name)-len(s)])
	}
	return false
}

func matchName(list []string, name string) bool {
	for _, p := range list {
		if strings.IndexByte(p, '*') < 0 {
			if strings.EqualFold(p, name) {
				return true
			}
			continue
		}
		// Names hold no '/', so path.Match's '*' matches any run of characters.
		if ok, _ := path.Match(strings.ToUpper(p), strings.ToUpper(name)); ok {
			return true
		}
	}
	return false
}

// PersistenceOff reports whether a service command visibly turns the
// image's persistence off, e.g. redis `redis-server --save "" --appendonly
// no`. command is the compose `command:` (or entrypoint) as a list; elements
// with whitespace, such as a whole command line or `sh -c` script, are split
// like a shell would (see SplitCommand). Always false for images without a
// known hint.
func (i *Image) PersistenceOff(command []string) bool {
	h := &i.PersistenceOffArgs
	if len(h.All) == 0 || len(command) == 0 {
		return false
	}
	args := SplitCommand(command)
	for _, seq := range h.All {
		if !containsSeq(args, seq) {
			return false
		}
	}
	for _, seq := range h.Unless {
		if containsSeq(args, seq) {
			return false
		}
	}
	return true
}

func containsSeq(args, seq []string) bool {
outer:
	for start := 0; start+len(seq) <= len(args); start++ {
		for j, want := range seq {
			if !strings.EqualFold(args[start+j], want) {
				continue outer
			}
		}
		return true
	}
	return false
}

// IsScanValueEnv reports whether the image documents name as one whose
// value may embed a secret (a URL with credentials, a config blob) while
// the name alone does not make it one: scan the value, do not flag the
// name. Case-insensitive; entries may use '*' wildcards.
func (i *Image) IsScanValueEnv(name string) bool {
	return matchName(i.ScanValueEnv, name)
}

// StatelessFor reports whether the service environment turns the image's
// state off: one of StatelessWhenEnv is set to a value outside its Except
// list (keycloak KC_DB=postgres, registry REGISTRY_STORAGE=s3). env is the
// service's resolved environment as compose-go gives it
// (types.MappingWithEquals): a nil value is a variable without a value and,
// like an empty one, counts as unset. Names compare exactly; values
// case-insensitively, after trimming spaces. A value still holding `$`
// (unresolved interpolation) is unknown and never makes the image
// stateless.
func (i *Image) StatelessFor(env map[string]*string) bool {
	for _, sw := range i.StatelessWhenEnv {
		p, ok := env[sw.Name]
		if !ok || p == nil {
			continue
		}
		v := strings.TrimSpace(*p)
		if v == "" || strings.IndexByte(v, '$') >= 0 {
			continue
		}
		excepted := false
		for _, e := range sw.Except {
			if strings.EqualFold(v, e) {
				excepted = true
				break
			}
		}
		if !excepted {
			return true
		}
	}
	return false
}

// DataPathsFromCommand returns the data paths a service command names, for
// images whose data path is an argument (DataFromArgs): every absolute path
// argument after the subcommand, e.g. minio `server /data --console-address
// :9001` gives /data. cmd is the compose `command:` (or entrypoint plus
// command) as a list; elements with whitespace are split like a shell would
// (SplitCommand). Values of DataFromArgs.SkipFlags (--certs-dir /certs) and
// `--flag=value` arguments are skipped; the scan stops at a shell separator
// (&&, ||, ;, |, &). VolumeDeclared is set for the paths the image declares
// VOLUME for. It returns nil when the image has no DataFromArgs, when the
// subcommand is absent, and for distributed or multi-drive setups written
// with URLs or `{1...4}` ellipses, whose local paths cannot be told.
func (i *Image) DataPathsFromCommand(cmd []string) []DataPath {
	da := &i.DataFromArgs
	if da.After == "" || len(cmd) == 0 {
		return nil
	}
	args := SplitCommand(cmd)
	start := -1
	for k, a := range args {
		if a == da.After {
			start = k + 1
			break
		}
	}
	if start < 0 {
		return nil
	}
	var out []DataPath
	for k := start; k < len(args); k++ {
		a := args[k]
		end := false
		if len(a) > 1 && a[len(a)-1] == ';' {
			a, end = a[:len(a)-1], true // `minio server /data; echo done`
		}
		switch {
		case a == "&&" || a == "||" || a == ";" || a == "|" || a == "&":
			return out
		case strings.IndexByte(a, '$') >= 0:
			// unresolved ${VAR}: unknown path
		case strings.Contains(a, "://") || strings.Contains(a, "..."):
			return nil // distributed endpoints or drive ellipses
		case strings.HasPrefix(a, "-"):
			if !strings.Contains(a, "=") && containsString(da.SkipFlags, a) {
				k++ // the flag's value
			}
		case strings.HasPrefix(a, "/"):
			p := path.Clean(a)
			dup := false
			for _, d := range out {
				if d.Path == p {
					dup = true
					break
				}
			}
			if !dup {
				out = append(out, DataPath{Path: p, VolumeDeclared: containsString(da.Volumes, p)})
			}
		}
		if end {
			break
		}
	}
	return out
}

// UserFor returns the uid or uid:gid the image runs as for a tag: the
// user of the first of UserVariants whose variant is a component of the
// tag (postgres 16-alpine3.20 → "70:70"), else User; "" when not known.
func (i *Image) UserFor(tag string) string {
	for _, uv := range i.UserVariants {
		if tagHasVariant(tag, uv.Variant) {
			return uv.User
		}
	}
	return i.User
}

// tagHasVariant reports a tag component equal to v, or v followed by a
// version (alpine3.20).
func tagHasVariant(tag, v string) bool {
	for _, comp := range strings.Split(tag, "-") {
		if strings.EqualFold(comp, v) {
			return true
		}
		if len(comp) > len(v) && strings.EqualFold(comp[:len(v)], v) && comp[len(v)] >= '0' && comp[len(v)] <= '9' {
			return true
		}
	}
	return false
}

// FileEnvReader returns the uid or uid:gid that reads a <VAR>_FILE when
// the service sets no user: "0" when the entrypoint reads it as root
// before it drops privileges (FileEnv.ReadAsRoot) and the tag is not one
// of the variants that start as the image's user, else UserFor(tag); ""
// when not known.
func (i *Image) FileEnvReader(tag string) string {
	if i.FileEnv.ReadAsRoot && !slices.ContainsFunc(i.FileEnv.NotRootVariants, func(v string) bool { return tagHasVariant(tag, v) }) {
		return "0"
	}
	return i.UserFor(tag)
}
