package cmd

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/mattn/go-isatty"
)

// IOStreams are the command's standard streams, injected so tests run
// commands against buffers.
type IOStreams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// OutTTY says stdout is a terminal: colour and source lines by default.
	OutTTY bool
	// Getenv reads the environment (NO_COLOR).
	Getenv func(string) string
	// Interrupt returns a context that SIGINT and SIGTERM cancel, and its
	// stop (System's is signal.NotifyContext). nil: no signal is caught,
	// as in tests, where the signal package's goroutine would outlive the
	// command.
	Interrupt func(context.Context) (context.Context, context.CancelFunc)
}

// System returns the process's real streams.
func System() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		OutTTY: isatty.IsTerminal(os.Stdout.Fd()) || isatty.IsCygwinTerminal(os.Stdout.Fd()),
		Getenv: os.Getenv,
		Interrupt: func(ctx context.Context) (context.Context, context.CancelFunc) {
			return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
		},
	}
}
