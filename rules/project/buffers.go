package project

import "sync"

// sniffBufs are the buffers discovery reads the start of each file into
// (sniffSize+1 bytes), reused across files: allocated per file, they
// were 95% of discovery's allocated bytes (a 64 KiB buffer for a 1 KB
// compose file, too large to live on the stack). Nothing read into one
// is kept: the shape is parsed from it into new strings.
var sniffBufs = sync.Pool{New: func() any { b := make([]byte, sniffSize+1); return &b }}
