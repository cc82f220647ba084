package project

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Legacy describes a file in the legacy v1 compose format: its services
// stand at the top level, which docker compose v2 refuses. The loader
// lints it as if they stood under `services:`, renamed as compose v2
// renamed them (see legacyService), with every position in the file as
// written: File.Docs is a view of the file whose nodes are the file's own
// (or copies placed where their text is), File.Written the parse of the
// bytes. The rename table and its sources are in the doc of the
// legacy-compose-format rule.
type Legacy struct {
	// Root is the top-level mapping as written; Services its keys that
	// are services, in order, and Kept the ones that stay at the top level
	// (a scalar version or name, an x- extension).
	Root     *yaml.Node
	Services []*yaml.Node
	Kept     []*yaml.Node
	// Renames are what the view changed ("net becomes network_mode"),
	// each once, in order, for messages.
	Renames []string
	// Volumes are the named volumes the services mount, which v1 created
	// without a declaration and without the project prefix, in order of
	// first use; Drivers the volume_driver their service set.
	Volumes []string
	Drivers map[string]string

	// orig maps a node of the view that is not the file's (a renamed
	// key, a rewritten value, a built mapping) to the node written where
	// it stands, so positions and extents come from the text.
	orig map[*yaml.Node]*yaml.Node
}

// specTopLevel are the top-level keys of the compose specification a v1
// file cannot have: their presence says the file is not v1 (compose v1
// decided the same way, on services, networks and volumes).
var specTopLevel = []string{"services", "networks", "volumes", "secrets", "configs", "include", "models"}

// legacyOf reports whether docs are a legacy v1 file and, if so, builds
// its description. A v1 file is one document whose top level is a
// mapping of service mappings (at least one with a service key), beside
// at most a scalar version or name and x- extensions.
func legacyOf(docs []*yaml.Node) *Legacy {
	if len(docs) != 1 || len(docs[0].Content) != 1 {
		return nil
	}
	root := docs[0].Content[0]
	if root.Kind != yaml.MappingNode || len(root.Content) == 0 {
		return nil
	}
	lg := &Legacy{Root: root, Drivers: map[string]string{}, orig: map[*yaml.Node]*yaml.Node{}}
	serviceShaped := false
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], resolve(root.Content[i+1])
		switch {
		case k.Tag == "!!merge" || k.Kind != yaml.ScalarNode:
			return nil
		case slices.Contains(specTopLevel, k.Value):
			return nil
		case strings.HasPrefix(k.Value, "x-"),
			(k.Value == "version" || k.Value == "name") && v.Kind == yaml.ScalarNode:
			lg.Kept = append(lg.Kept, k)
		case v.Kind != yaml.MappingNode:
			return nil
		default:
			lg.Services = append(lg.Services, k)
			serviceShaped = serviceShaped || serviceLike(v)
		}
	}
	if !serviceShaped {
		return nil
	}
	return lg
}

// view builds the document compose-go and the locator read: the kept
// entries, then `services:` with every service (renamed as v2 renamed),
// then the named volumes v1 created on the fly, declared.
func (lg *Legacy) view(doc *yaml.Node) *yaml.Node {
	names := map[string]bool{}
	for _, k := range lg.Services {
		names[k.Value] = true
	}
	services := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: lg.Services[0].Line, Column: lg.Services[0].Column}
	var volumeAt []*yaml.Node
	for _, k := range lg.Services {
		v := lg.valueOf(k)
		svc, vols := lg.service(v, names)
		services.Content = append(services.Content, k, svc)
		for _, item := range vols {
			name := volumeSource(item.Value)
			if !slices.Contains(lg.Volumes, name) {
				lg.Volumes = append(lg.Volumes, name)
				volumeAt = append(volumeAt, item)
			}
		}
	}
	root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: lg.Root.Line, Column: lg.Root.Column}
	for _, k := range lg.Kept {
		root.Content = append(root.Content, k, lg.valueOf(k))
	}
	root.Content = append(root.Content, lg.synthetic(scalar("services"), lg.Services[0]), services)
	if len(lg.Volumes) > 0 {
		decl := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for i, name := range lg.Volumes {
			body := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			body.Content = append(body.Content, scalar("name"), scalar(name))
			if d := lg.Drivers[name]; d != "" {
				body.Content = append(body.Content, scalar("driver"), scalar(d))
			}
			decl.Content = append(decl.Content, lg.synthetic(scalar(name), volumeAt[i]), lg.synthetic(body, volumeAt[i]))
		}
		root.Content = append(root.Content, lg.synthetic(scalar("volumes"), volumeAt[0]), lg.synthetic(decl, volumeAt[0]))
	}
	return &yaml.Node{Kind: yaml.DocumentNode, Line: doc.Line, Column: doc.Column, Content: []*yaml.Node{root}, HeadComment: doc.HeadComment}
}

// valueOf is the value of a top-level key of the file as written.
func (lg *Legacy) valueOf(k *yaml.Node) *yaml.Node {
	for i := 0; i+1 < len(lg.Root.Content); i += 2 {
		if lg.Root.Content[i] == k {
			return lg.Root.Content[i+1]
		}
	}
	return nil
}

// synthetic places a node of the view that has no text of its own at
// the position of the written node at.
func (lg *Legacy) synthetic(n, at *yaml.Node) *yaml.Node {
	n.Line, n.Column = at.Line, at.Column
	lg.orig[n] = at
	return n
}

// renamed is a copy of a written scalar with another value, at its place.
func (lg *Legacy) renamed(n *yaml.Node, value string) *yaml.Node {
	c := *n
	c.Value = value
	lg.orig[&c] = n
	return &c
}

func scalar(v string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
}

// service is one v1 service as compose v2 reads it, and the items of its
// volumes that mount a named volume. What changed (compose 1.x's
// finalize_service and normalize_v1_service_format, and the upgrade guide
// of the v2 format):
//   - net: X becomes network_mode: X, and net: container:S, S a service,
//     network_mode: service:S;
//   - volumes_from: S[:mode], S not a service, names a container:
//     container:S[:mode];
//   - dockerfile: D beside build: C becomes build: {context: C, dockerfile: D};
//   - log_driver: D and log_opt: O become logging: {driver: D, options: O};
//   - volume_driver: D goes (v2 has none); the named volumes the service
//     mounts are declared with driver: D.
func (lg *Legacy) service(n *yaml.Node, names map[string]bool) (*yaml.Node, []*yaml.Node) {
	m := resolve(n)
	if m.Kind != yaml.MappingNode {
		return n, nil
	}
	out := &yaml.Node{}
	*out = *m
	out.Content = nil
	lg.orig[out] = m
	var logging *yaml.Node
	var loggingKey *yaml.Node
	var driver string
	dockerfile := mapValue(m, "dockerfile")
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		switch k.Value {
		case "net":
			nv := v
			if c, ok := strings.CutPrefix(v.Value, "container:"); ok && v.Kind == yaml.ScalarNode && names[c] {
				nv = lg.renamed(v, "service:"+c)
			}
			out.Content = append(out.Content, lg.renamed(k, "network_mode"), nv)
			lg.renamedKey("net becomes network_mode")
			continue
		case "volumes_from":
			out.Content = append(out.Content, k, lg.volumesFrom(v, names))
			continue
		case "dockerfile":
			if b := mapValue(m, "build"); b != nil && resolve(b).Kind == yaml.ScalarNode {
				continue // moved into build
			}
		case "build":
			if dockerfile != nil && resolve(v).Kind == yaml.ScalarNode {
				b := lg.synthetic(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}, v)
				b.Content = append(b.Content, lg.synthetic(scalar("context"), v), v, lg.synthetic(scalar("dockerfile"), dockerfile), dockerfile)
				out.Content = append(out.Content, k, b)
				lg.renamedKey("dockerfile moves under build")
				continue
			}
		case "log_driver", "log_opt":
			if logging == nil {
				loggingKey = lg.renamed(k, "logging")
				logging = lg.synthetic(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}, v)
				out.Content = append(out.Content, loggingKey, logging)
				lg.renamedKey("log_driver and log_opt move under logging")
			}
			sub := "driver"
			if k.Value == "log_opt" {
				sub = "options"
			}
			logging.Content = append(logging.Content, lg.renamed(k, sub), v)
			continue
		case "volume_driver":
			driver = resolve(v).Value
			lg.renamedKey("volume_driver goes to its named volumes")
			continue
		}
		out.Content = append(out.Content, k, v)
	}
	var named []*yaml.Node
	if vols := resolve(mapValue(m, "volumes")); vols != nil && vols.Kind == yaml.SequenceNode {
		for _, item := range vols.Content {
			if item = resolve(item); item.Kind == yaml.ScalarNode && volumeSource(item.Value) != "" {
				named = append(named, item)
				if driver != "" {
					if _, set := lg.Drivers[volumeSource(item.Value)]; !set {
						lg.Drivers[volumeSource(item.Value)] = driver
					}
				}
			}
		}
	}
	return out, named
}

// volumesFrom rewrites the items that name a container: v1 read a bare
// name as a service when there was one, and as a container otherwise.
func (lg *Legacy) volumesFrom(v *yaml.Node, names map[string]bool) *yaml.Node {
	seq := resolve(v)
	if seq.Kind != yaml.SequenceNode {
		return v
	}
	out := &yaml.Node{}
	*out = *seq
	out.Content = nil
	lg.orig[out] = seq
	for _, item := range seq.Content {
		if c := VolumesFromContainer(resolve(item), names); c != "" {
			out.Content = append(out.Content, lg.renamed(resolve(item), c))
			continue
		}
		out.Content = append(out.Content, item)
	}
	return out
}

// VolumesFromContainer is what a v1 volumes_from item becomes when it
// names a container (compose 1.x's VolumeFromSpec.parse_v1: source[:mode],
// a container when source is no service), or "".
func VolumesFromContainer(item *yaml.Node, names map[string]bool) string {
	if item.Kind != yaml.ScalarNode {
		return ""
	}
	parts := strings.Split(item.Value, ":")
	// container:X or service:X is already v2 (v1 read it as a service
	// with a mode, and refused the mode): left as it is.
	if len(parts) > 2 || names[parts[0]] || parts[0] == "" || parts[0] == "container" || parts[0] == "service" {
		return ""
	}
	return "container:" + item.Value
}

// volumeSource is the volume a short-syntax mount names ("" for a bind
// mount, an anonymous volume or a source compose interpolates).
func volumeSource(spec string) string {
	fields := splitVolume(spec)
	if len(fields) < 2 {
		return ""
	}
	src := fields[0]
	if src == "" || strings.ContainsAny(src[:1], "/.~$\\") || strings.Contains(src, "$") || len(src) > 1 && src[1] == ':' {
		return ""
	}
	return src
}

func (lg *Legacy) renamedKey(change string) {
	if !slices.Contains(lg.Renames, change) {
		lg.Renames = append(lg.Renames, change)
	}
}

// Orig is the written node a node of a legacy view stands for (itself
// when it is written as it is).
func (f *File) Orig(n *yaml.Node) *yaml.Node {
	if f.Legacy != nil {
		if o, ok := f.Legacy.orig[n]; ok {
			return o
		}
	}
	return n
}

// makeLegacyView turns f into a view of its v1 content when it is one.
func (f *File) makeLegacyView() {
	lg := legacyOf(f.Docs)
	if lg == nil {
		return
	}
	f.Legacy, f.Written = lg, f.Docs
	f.Docs = []*yaml.Node{lg.view(f.Docs[0])}
}

// noteLegacy says, in an error about a legacy v1 file, that the file was
// read through its view: the error names a services.* path the file as
// written does not have.
func noteLegacy(e *Error, files []*File) {
	for _, f := range files {
		if f.Legacy != nil && f.Path == e.File {
			e.Msg += " (this is a legacy v1 file, read as if its services stood under a top-level services: key)"
			return
		}
	}
}
