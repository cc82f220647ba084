package project

// Release drops what only loading and checking need (the parse trees,
// the edit index, compose-go's model) and keeps each file's path and
// bytes, which reporters and the fixer read afterwards. A run over a
// thousand projects then holds bytes, not trees.
func (p *Project) Release() {
	p.Model = nil
	p.ReleaseTrees()
}

// ReleaseTrees is Release but for the model, which the fixer compares
// before and after a pass.
func (p *Project) ReleaseTrees() {
	for _, f := range p.AllFiles() {
		f.Docs, f.Written, f.src = nil, nil, nil
	}
}
