// Command custom-limiter is loadgen with a rate limiter of your own beside the
// built-in ones: every flag and verb works on it, e.g.
//
//	go run ./examples/custom-limiter -impl mine,xrate -rps 5000
package main

import (
	"os"

	"github.com/syncbench/syncbench/cli"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/limiters"
)

func main() {
	impls.Register(impls.Impl{
		Name:    "mine",
		Family:  impls.FamilyLimiters,
		Summary: "a mutex-guarded token bucket (examples/custom-limiter)",
		New: func(cfg impls.Config) (impls.Target, error) {
			if cfg.Keys > 1 { // -keys N: a bucket per key
				return limiters.NewKeyedTarget(func() (limiters.Limiter, error) { return newBucket(cfg), nil }, cfg)
			}
			return limiters.NewTarget(newBucket(cfg), cfg)
		},
	})
	os.Exit(cli.Main(os.Args[1:]))
}
