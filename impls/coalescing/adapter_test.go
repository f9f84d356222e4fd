package coalescing_test

import (
	"context"
	"fmt"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/coalescing"
)

// firstKeyOnly is a user's coalescer that shares one call between all keys:
// the bug the invariant is there to catch.
type firstKeyOnly struct{ cached *coalescing.Answer }

func (f *firstKeyOnly) Get(ctx context.Context, req coalescing.Request, fetch coalescing.Fetch) (coalescing.Answer, error) {
	if f.cached == nil {
		a, err := fetch(ctx, req)
		if err != nil {
			return a, err
		}
		f.cached = &a
	}
	return *f.cached, nil
}

// ExampleNewTarget measures a coalescer of your own through the adapter the
// built-ins use: the backend, the answer check and the call counts come with it.
func ExampleNewTarget() {
	tg, _ := coalescing.NewTarget(&firstKeyOnly{}, impls.Config{Workers: 1, Keys: 2})
	defer tg.Close()
	for _, key := range []uint64{0, 0, 1} {
		fmt.Print(tg.Do(context.Background(), impls.Op{Kind: impls.OpRead, Key: key}), " ")
	}
	fmt.Println(tg.(impls.StatsReporter).Stats()["backend_calls"])
	fmt.Println(tg.Verify())
	// Output: ok ok error 1
	// invariant violated by : 1 callers got an answer that is not their key's; the first: worker 0 asked for key 1 and got key 0's answer (value 0x1, want 0xff51afd792fd5b27)
}
