package knowledge

import (
	"path"
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
