package reports

import (
	"fmt"
	"testing"

	"github.com/syncbench/syncbench/result"
)

// BenchmarkReport100 measures `loadgen report` over 100 result files with every
// plot: 10 implementations × 10 repetitions, each with a 60-point series. The
// goal is under 5 s per report on a 2-core machine.
func BenchmarkReport100(b *testing.B) {
	var results []*result.Result
	for i := range 10 {
		results = append(results, makeCell(b, fixture{impl: fmt.Sprintf("impl%02d", i), conc: 8, ops: 200, intervals: 60,
			baseNs: float64(200 + 150*i), seed: uint64(i)}, 10)...)
	}
	b.ResetTimer()
	for b.Loop() {
		if err := WriteReport(b.TempDir(), results, ReportOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
