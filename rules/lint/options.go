package lint

import (
	"fmt"
	"slices"
)

// OptionKind is the type of a rule option's value.
type OptionKind string

// Option kinds.
const (
	StringList OptionKind = "list of strings"
	Bool       OptionKind = "boolean"
)

// Option is one typed rule setting a rule declares: the config loader
// accepts it by name and kind, and the docs list it.
type Option struct {
	Name string
	Kind OptionKind
	Doc  string
	// CheckItem, when set, validates each item of a list option as the
	// config loads (a glob that matches nothing is refused there, with
	// its position, not silently ignored when rules run).
	CheckItem func(string) error
}

// Options are one rule's option values, each checked against the kind
// the rule declares when the config loads: rules read them through the
// typed getters, never through an untyped value.
type Options struct {
	lists map[string][]string
	bools map[string]bool
}

// SetStringList records a list option after checking that r declares
// name as a list.
func (o *Options) SetStringList(r *Rule, name string, v []string) error {
	if err := o.check(r, name, StringList); err != nil {
		return err
	}
	if o.lists == nil {
		o.lists = map[string][]string{}
	}
	o.lists[name] = slices.Clone(v)
	return nil
}

// SetBool records a boolean option after checking that r declares name
// as a boolean.
func (o *Options) SetBool(r *Rule, name string, v bool) error {
	if err := o.check(r, name, Bool); err != nil {
		return err
	}
	if o.bools == nil {
		o.bools = map[string]bool{}
	}
	o.bools[name] = v
	return nil
}

func (o *Options) check(r *Rule, name string, kind OptionKind) error {
	opt := r.Option(name)
	if opt == nil {
		return fmt.Errorf("unknown option %q for rule %s", name, r.ID)
	}
	if opt.Kind != kind {
		return fmt.Errorf("option %s of rule %s is a %s, not a %s", name, r.ID, opt.Kind, kind)
	}
	return nil
}

// StringList is a list option's value (nil when not given).
func (o Options) StringList(name string) []string { return o.lists[name] }

// Bool is a boolean option's value (false when not given).
func (o Options) Bool(name string) bool { return o.bools[name] }

// Option finds one of the rule's declared options.
func (r *Rule) Option(name string) *Option {
	for i := range r.Options {
		if r.Options[i].Name == name {
			return &r.Options[i]
		}
	}
	return nil
}
