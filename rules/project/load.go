package project

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sync"

	"github.com/compose-spec/compose-go/v2/errdefs"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/sirupsen/logrus"
)

// MaxFileSize bounds what is read into memory; real compose files are a
// few kilobytes, and a larger file is almost surely not one.
const MaxFileSize = 16 << 20

// Options are the command-line choices that change how a project loads.
type Options struct {
	// Profiles to enable; empty means every profile, since a finding in a
	// disabled profile is still a finding.
	Profiles []string
	// EnvFiles replace the project's .env for interpolation.
	EnvFiles []string
	// ProjectDir overrides the directory relative paths resolve from.
	ProjectDir string
	// Environ is the process environment (KEY=VALUE); nil means os.Environ.
	Environ []string
	// Overlay replaces the content of files (by absolute path) without
	// touching the disk, as if they had been written.
	Overlay map[string][]byte
	// Preread is the content of files read a moment ago (discovery's
	// Contents), by absolute path: read after Overlay, before the disk.
	Preread map[string][]byte
	// PendingIgnored, when set, says whether a path will be gitignored by
	// lines not yet on disk (in the Overlay), where git cannot see them:
	// an env file's git status then agrees with what git will say.
	PendingIgnored func(abs string) bool
}

// Project is one loaded compose project: compose-go's merged model for
// meaning and the parsed files for positions.
type Project struct {
	Name string
	Dir  string
	// Files are the -f files in merge order; Extra are the extends bases
	// and included files they pull in.
	Files []*File
	Extra []*File
	Model *types.Project
	// Dockerfiles holds, per service with a local build, the Dockerfile's
	// bytes (nil when it could not be read): rules read VOLUME lines from it
	// without touching the disk.
	Dockerfiles map[string][]byte
	// Notes are things the loader noticed that are not findings, e.g. an
	// obsolete `version:` key or a required variable that is not set.
	Notes []Note

	// DotEnvPath is the project's .env when it was read (empty otherwise),
	// DotEnv its variables: fixes that move a secret there must not clash.
	DotEnvPath string
	DotEnv     map[string]string
	// DotEnvGit is what git does with that .env: a fix must not move a
	// secret into a .env that is committed.
	DotEnvGit GitStatus

	// EnvFiles are the files outside the compose files that rules read, by
	// absolute path: the env files services load (parsed, and also listed
	// in Extra as files without YAML documents) and the top-level secret
	// files (git status only). See envfile.go.
	EnvFiles map[string]*EnvFile
	// Partial: the project does not load (Load returned its error too),
	// and Model is what compose-go made of it without checking that its
	// references hold. Rules run on it; its findings carry no fix.
	Partial bool

	// FileRefs are the absolute paths of every env file and label file
	// the services name, whether or not it exists: what the load would
	// read if it were there (the fixer's reuse of outcomes needs this).
	FileRefs []string

	// overlay is Options.Overlay: Existing reads it before the disk.
	overlay map[string][]byte
}

// projectLoader is one Load call: the project it builds, and the scratch state
// of building it, which the Project never keeps.
type projectLoader struct {
	*Project
	opts Options
	// reference: LoadReference, compose-go's own default load.
	reference bool

	// mu guards what interpolation callbacks record (unset, Notes).
	mu          sync.Mutex
	refsMissing bool     // an include or extends file could not be read (casts.go)
	unset       []string // variables interpolation found unset, for error hints

	env map[string]string // what interpolation sees, to place port errors
	// raw, during a degraded load, is each -f file's data with what
	// compose-go refused cut out (degrade.go).
	raw map[*File]map[string]any
	// portTemplates are the ports values that interpolate (see
	// loadWithPlaceholders), each with the variables it gives a default;
	// heldStr and heldPort the variables the placeholder load replaced,
	// with a string and with a port number.
	portTemplates map[string]map[string]bool
	heldStr       map[string]bool
	heldPort      map[string]int

	// unchecked is the load without consistency checks (unchecked.go).
	unchecked *uncheckedLoad
}

// AllFiles is Files then Extra, in a new slice.
func (p *Project) AllFiles() []*File {
	return slices.Concat(p.Files, p.Extra)
}

// Note is a loader observation with its place.
type Note struct {
	File string
	Line int
	Msg  string
	// Unchecked notes say what the rules could not check (a variable read
	// as a placeholder, an env file that is not there). lint prints them;
	// the others (an obsolete key) are kept only for callers that ask.
	Unchecked bool
	// Git: git could not tell what it tracks here (noteGitUnknown); fix
	// prints it too, since it withholds fixes for it.
	Git bool
}

var quietLogrus sync.Once

// silenceCompose stops compose-go's global logrus output: what matters is
// turned into Notes instead of stray stderr lines.
func silenceCompose() {
	quietLogrus.Do(func() {
		logrus.SetOutput(io.Discard)
		logrus.SetLevel(logrus.PanicLevel)
	})
}

// Load reads, parses and loads one project. A compose-go panic is recovered
// and returned as an error for the project's first file.
func Load(ctx context.Context, spec Spec, opts Options) (*Project, error) {
	return loadProject(ctx, spec, opts, false)
}

// LoadReference loads exactly as compose-go does by default: it parses
// the bytes itself and runs every phase itself (see fastload.go). The
// slow path, kept so tests can prove both give the same findings.
func LoadReference(ctx context.Context, spec Spec, opts Options) (*Project, error) {
	return loadProject(ctx, spec, opts, true)
}

func loadProject(ctx context.Context, spec Spec, opts Options, reference bool) (p *Project, err error) {
	silenceCompose()
	if len(spec.Files) == 0 {
		return nil, errors.New("no compose file given")
	}
	dir := spec.Dir
	if opts.ProjectDir != "" {
		dir = opts.ProjectDir
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, &Error{File: spec.Files[0], Msg: describeOSError(err)}
	}
	p = &Project{Dir: absDir, overlay: opts.Overlay}
	l := &projectLoader{Project: p, opts: opts, reference: reference}
	for _, name := range spec.Files {
		f, err := readFileOverlay(name, opts.Overlay, opts.Preread)
		if err != nil {
			return nil, err
		}
		p.Files = append(p.Files, f)
	}
	if err := l.collectReferences(); err != nil {
		return nil, err
	}
	l.noteObsoleteVersion()

	env, err := l.environment(absDir, opts)
	if err != nil {
		return nil, err
	}
	for _, f := range p.AllFiles() {
		if err := checkCommands(f, env); err != nil {
			return nil, err
		}
	}
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, &Error{File: spec.Files[0], Msg: fmt.Sprintf("compose-go could not load this project: %v", r)}
		}
	}()
	model, err := l.loadModel(ctx, absDir, env, opts.Profiles, false, false)
	if err != nil && len(l.unset) > 0 && emptyValueError(err.Error()) {
		// An unset variable emptied a field compose-go needs (an image, a
		// volume source, a container name, a port). It is set where the
		// stack is deployed; lint with a placeholder rather than not at all.
		if m, err2 := l.loadWithPlaceholders(ctx, absDir, env, opts.Profiles); err2 == nil {
			model, err = m, nil
			l.addNote(Note{File: p.Files[0].Path, Msg: l.placeholderNote(), Unchecked: true})
		}
	}
	if err != nil {
		l.env = env // to find the port entry an error names
		// A reference that does not hold (compose-go's consistency check,
		// errdefs.ErrInvalid) leaves a model to lint without that check.
		consistency := errors.Is(err, errdefs.ErrInvalid)
		first := err // compose-go's own words, for degrade
		err = l.attribute(l.stableConsistencyError(ctx, absDir, env, opts.Profiles, err))
		// Never blind: a project whose references do not hold (an
		// undefined volume, network, secret or service) still has
		// services that are well-formed on their own: the model without
		// the consistency checks is returned beside the error, marked
		// Partial: rules run on it, and nothing is fixed from it. Other
		// errors (schema, a missing extends file, a value that fails its
		// type) get the same from a copy with the offending part cut out.
		var degraded *types.Project
		if consistency {
			degraded, _ = l.uncheckedModel(ctx, absDir, env, opts.Profiles)
		}
		if degraded == nil {
			degraded = l.degrade(ctx, absDir, env, opts.Profiles, first)
		}
		if degraded == nil {
			return nil, err
		}
		model, p.Partial = degraded, true
		p.Model, p.Name = model, model.Name
		l.readDockerfiles()
		if consistency && len(spec.Files) == 1 && isFragment(model) {
			// No service can run from this file alone: it is an extends
			// source or an overlay whose base is elsewhere. What it
			// declares is linted, without an error (SPEC §3).
			l.addNote(Note{File: p.Files[0].Path, Msg: fragmentNote, Unchecked: true})
			_ = l.readEnvFiles(ctx, opts.Overlay)
			return p, nil
		}
		// An env file compose refuses is one more reason it does not
		// load; the consistency error is the one reported.
		_ = l.readEnvFiles(ctx, opts.Overlay)
		return p, err
	}
	p.Model = model
	p.Name = model.Name
	l.readDockerfiles()
	if err := l.readEnvFiles(ctx, opts.Overlay); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *projectLoader) addNote(n Note) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, old := range p.Notes {
		if old == n {
			return
		}
	}
	p.Notes = append(p.Notes, n)
}
