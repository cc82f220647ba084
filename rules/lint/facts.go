package lint

// Fact is something the rules of one project share, built once by the
// first rule that asks and memoised for the others (the service view,
// the name allocators of fixes). It is the explicit form of what
// go/analysis calls a required analyzer's result: a rule asks for it by
// value, the build function sees only the pass, and the result's type is
// the fact's, with no type assertion in the rule.
type Fact[T any] struct {
	// Name is for humans reading a stack trace.
	Name  string
	Build func(*Pass) T
}

// facts holds the facts built for one project; the passes of one project
// share it, and run one after another, so it needs no lock.
type facts struct {
	values map[any]any
}

// Of returns the fact for the pass's project, building it on first use.
func (f *Fact[T]) Of(p *Pass) T {
	if p.facts == nil {
		p.facts = &facts{}
	}
	if v, ok := p.facts.values[f]; ok {
		return v.(T)
	}
	v := f.Build(p)
	if p.facts.values == nil {
		p.facts.values = map[any]any{}
	}
	p.facts.values[f] = v
	return v
}
