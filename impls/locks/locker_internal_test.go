package locks

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/syncbench/syncbench/impls"
)

// A lock that excludes nobody loses updates only under real contention, which
// the race detector reports before the ledger can; so this test takes one update
// back by hand, as a racing writer would have overwritten it, and the
// external-module test (cli) runs a lock that excludes nobody without the race
// detector.
func TestTheLockerTargetReportsALostUpdate(t *testing.T) {
	tg := newLockerTarget("", &sync.Mutex{}, impls.Config{Workers: 1})
	for range 3 {
		tg.Do(context.Background(), impls.Op{Kind: impls.OpWrite})
	}
	tg.n-- // the lost update
	var inv *impls.InvariantError
	if err := tg.Verify(); !errors.As(err, &inv) || !strings.Contains(inv.Detail, "guarded count is 2 but 3 writes were acknowledged (1 updates lost)") {
		t.Fatalf("Verify = %v, want the lost update named", err)
	}
}
