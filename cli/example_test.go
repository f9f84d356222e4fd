package cli_test

import (
	"os"
	"sync"

	"github.com/syncbench/syncbench/cli"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/locks"
)

// ExampleMain is the whole main of a program that measures a lock of its own
// with loadgen's command line: `go run . -impl mylock,mutex -concurrency 1,8`
// runs it beside sync.Mutex with every flag, verb, check and report.
func ExampleMain() {
	impls.Register(impls.Impl{
		Name:    "mylock",
		Family:  impls.FamilyLocks,
		Summary: "my lock",
		New: func(cfg impls.Config) (impls.Target, error) {
			return locks.NewTarget(&sync.Mutex{}, cfg) // your sync.Locker here
		},
	})
	os.Exit(cli.Main(os.Args[1:]))
}
