package bench_test

import (
	"flag"
	"os"
	"testing"
)

// TestMain shortens testing.Benchmark's runs, which the tests and examples
// here call to see what a benchmark reports: at the default -test.benchtime of
// 1 s each took 1.5-3.5 s under the race detector, at 100 ms a few tenths,
// still thousands of ops (what their checks need: an open loop at 20000 ops/s
// runs 2000 in 100 ms). A -test.benchtime given on the command line is kept.
func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.benchtime" })
	if !given {
		if err := flag.Set("test.benchtime", "100ms"); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
