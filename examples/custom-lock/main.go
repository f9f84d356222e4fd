// Command custom-lock is loadgen with a lock of your own beside the built-in
// ones: every flag and verb works on it, and the run fails (exit 1) if the lock
// ever lets two writers in at once, e.g.
//
//	go run ./examples/custom-lock -impl spinlock,mutex -concurrency 1,8 -duration 2s
package main

import (
	"os"

	"github.com/syncbench/syncbench/cli"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/locks"
)

func main() {
	impls.Register(impls.Impl{
		Name:    "spinlock",
		Family:  impls.FamilyLocks,
		Summary: "test-and-test-and-set spin lock yielding the processor (examples/custom-lock)",
		New: func(cfg impls.Config) (impls.Target, error) {
			return locks.NewTarget(&spinLock{}, cfg)
		},
	})
	os.Exit(cli.Main(os.Args[1:]))
}
