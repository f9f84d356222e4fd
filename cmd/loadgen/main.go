// Command loadgen drives concurrency primitives and rate limiters with configurable
// load and reports what they cost. Run `loadgen help` for usage; the command line
// itself is package github.com/syncbench/syncbench/cli.
package main

import (
	"os"

	"github.com/syncbench/syncbench/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:])) }
