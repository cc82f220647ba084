package fixer

import "github.com/composure-dev/composure/rules/project"

// strictLoad is the load loadModel makes: project.LoadModelStrict, which
// is compose-go's LoadWithContext at the cost of lint's fast load.
// TestStrictLoadSameDuringCorpusFix replaces it with a load that checks
// it against compose-go's on every evaluation of a corpus fix, and
// BenchmarkEvaluateLoads times the two on those evaluations.
var strictLoad = project.LoadModelStrict
