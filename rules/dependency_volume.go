package rules

import "path"

// Issue 13, point 9: a fix never turns a volume on a dependency directory
// into a named one. The image installs node_modules, vendor or a virtual
// env at build time; an anonymous volume there is copied from the image
// when it is created, and `docker compose down` (or `up -V`) renews it.
// A named volume is never renewed: after the image is rebuilt with new
// dependencies, the container keeps running the old ones. Whether such a
// volume is reported at all is the knowledge's call (dependencyCache);
// when it is, it gets no fix and the message says why.

// staleDir reports the dependency directories of dependencyDirs and those
// the system Python's pip fills (dist-packages), by last path segment.
func staleDir(target string) bool {
	base := path.Base(path.Clean(target))
	return dependencyDirs[base] || base == "dist-packages"
}

// dependencyHint is said in place of a fix for a volume on a dependency
// directory.
func dependencyHint(target string) string {
	return "; but " + target + " is where packages are installed: if the image installs them there, keep its volume " +
		"anonymous (`docker compose up -V` renews it from the rebuilt image; a named volume would keep the old packages) " +
		"and ignore this finding"
}

// staleTarget returns the first of paths on a dependency directory.
func staleTarget(paths []string) (string, bool) {
	for _, p := range paths {
		if staleDir(p) {
			return p, true
		}
	}
	return "", false
}
