package cmd

import (
	"fmt"
	"io"

	"github.com/composure-dev/composure/rules/config"
	"github.com/composure-dev/composure/rules/imagefacts"
	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/lint"
)

// useImages turns images mode on for a run (--images over the config's
// `images:`, default off): the knowledge then also reads the configs of
// images no entry knows. Off, nothing is set up and a lint never waits on
// a socket or the network.
func (o *lintOptions) useImages(cfg *lint.Config, file *config.Config) error {
	name := "off"
	if file != nil && file.ImagesMode != "" {
		name = file.ImagesMode
	}
	if o.Images != "" {
		name = o.Images
	}
	mode, err := imagefacts.ParseMode(name)
	if err != nil {
		return usageError("--images %v", err)
	}
	if mode == imagefacts.ModeOff {
		return nil
	}
	var getenv func(string) string // nil: the process's environment
	if o.io != nil {
		getenv = o.io.Getenv
	}
	o.resolver = imagefacts.New(imagefacts.Options{Mode: mode, Getenv: getenv})
	k := cfg.Knowledge
	if k == nil {
		k = knowledge.Default()
	}
	cfg.Knowledge = k.WithImageConfigs(o.resolver)
	return nil
}

// printImageNotes says on stderr what images mode could not read (no
// engine, an image not pulled, a registry that did not answer), as the
// loader's notes do: not findings, and the exit code stays.
func printImageNotes(w io.Writer, r *imagefacts.Resolver) {
	for _, n := range r.Notes() {
		fmt.Fprintf(w, "note: %s\n", n)
	}
}
