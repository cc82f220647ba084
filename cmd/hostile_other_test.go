//go:build !unix

package cmd

import "testing"

func mkfifo(t *testing.T, path string) {
	t.Skip("no named pipes on this platform")
}
