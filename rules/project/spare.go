package project

// Why this file exists: a project whose references do not hold (an
// undefined volume, network or service; a service with neither image nor
// build, as an overlay alone has) fails compose-go's consistency check,
// the last step of its load, and is then linted Partial from the model
// loaded without that check (uncheckedModel). Loading it a second time
// cost about 100 of the corpus's 1,700 compose-go loads. When the loaded
// dict plainly breaks a reference, loadFast keeps a copy of it before the
// check: the unchecked model is then that copy bound without the check,
// which is what the second load would give (SkipConsistencyCheck changes
// nothing before ModelToProject). ModelToProject changes the dict it
// binds (extensions are moved, services named), hence the copy.

// mayBeInconsistent reports whether the normalised dict has a service
// that compose-go's consistency check refuses for one of the common
// reasons. A miss costs only speed: the second load is made as before.
func mayBeInconsistent(dict map[string]any) bool {
	services, _ := dict["services"].(map[string]any)
	top := func(kind string) map[string]any {
		m, _ := dict[kind].(map[string]any)
		return m
	}
	volumes, networks, secrets, configs := top("volumes"), top("networks"), top("secrets"), top("configs")
	for _, s := range services {
		svc, ok := s.(map[string]any)
		if !ok {
			return true
		}
		_, image := svc["image"]
		_, build := svc["build"]
		_, provider := svc["provider"]
		if !image && !build && !provider {
			return true
		}
		if nets, ok := svc["networks"].(map[string]any); ok {
			for n := range nets {
				if _, ok := networks[n]; !ok {
					return true
				}
			}
		}
		if deps, ok := svc["depends_on"].(map[string]any); ok {
			for d := range deps {
				if _, ok := services[d]; !ok {
					return true
				}
			}
		}
		if undefinedSource(svc["volumes"], volumes, "volume") ||
			undefinedSource(svc["secrets"], secrets, "") ||
			undefinedSource(svc["configs"], configs, "") {
			return true
		}
	}
	return false
}

// undefinedSource reports whether a list of long-syntax mounts names a
// source that declared does not hold (only mounts of type kind, when kind
// is set).
func undefinedSource(list any, declared map[string]any, kind string) bool {
	items, _ := list.([]any)
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			continue
		}
		if kind != "" && m["type"] != kind {
			continue
		}
		src, _ := m["source"].(string)
		if src == "" {
			continue
		}
		if _, ok := declared[src]; !ok {
			return true
		}
	}
	return false
}

// deepCopy copies the maps and slices of a decoded YAML model; scalars
// are shared (they are never changed in place).
func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = deepCopy(e)
		}
		return out
	case map[string]string:
		out := make(map[string]string, len(t))
		for k, e := range t {
			out[k] = e
		}
		return out
	case []string:
		return append([]string(nil), t...)
	}
	return v
}
