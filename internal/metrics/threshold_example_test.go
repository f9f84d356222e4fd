package metrics_test

import (
	"fmt"

	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/result"
)

// ExampleParseThreshold parses a -threshold condition and checks it on a result:
// a p99 of 1.5ms against a bound of 2ms passes, the same result against 1ms
// fails and says by how much.
func ExampleParseThreshold() {
	r := &result.Result{Counts: result.Counts{Completed: 100, OK: 99, Error: 1}}
	r.Latency.Response = result.LatencySummary{Count: 100, P99: 1_500_000} // ns
	for _, cond := range []string{"p99<2ms", "p99 < 1ms", "p(99)<2", "errors:rate<0.01"} {
		th, err := metrics.ParseThreshold(cond)
		if err != nil {
			fmt.Println(err)
			continue
		}
		ok, _, msg := th.Check(r)
		fmt.Println(th, ok, msg)
	}
	// Output:
	// p99<2ms true p99 1.5ms < 2ms
	// p99 < 1ms false p99 1.5ms > 1ms by 500µs (50%)
	// p(99)<2 true p(99) 1.5ms < 2ms
	// errors:rate<0.01 false errors:rate 1% = 1%, want < 1%
}
