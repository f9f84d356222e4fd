package semaphores

import (
	"context"
	"math"

	marusama "github.com/marusama/semaphore/v2"
)

// maxMarusamaCapacity is the largest limit github.com/marusama/semaphore/v2 can
// hold: it packs limit and count into the two halves of one 64-bit word.
const maxMarusamaCapacity = math.MaxUint32

// marusamaSem adapts github.com/marusama/semaphore/v2, a lock-free (CAS on one
// word) resizable semaphore whose waiters sleep on a broadcast channel that every
// Release closes and replaces: like condsem, every release wakes every waiter, and
// no order is promised. Its doc warns that an Acquire returning ctx.Err() may
// "sometimes" have acquired anyway; v2.5.0 only returns the error before its
// compare-and-swap, and the post-run check of GetCount would catch a leak.
type marusamaSem struct {
	s marusama.Semaphore
}

func (m marusamaSem) Acquire(ctx context.Context, n int64) error {
	if n <= 0 {
		return nil // the library panics on 0; a weightless acquire is a no-op
	}
	return m.s.Acquire(ctx, int(n))
}

func (m marusamaSem) TryAcquire(n int64) bool {
	if n <= 0 {
		return true
	}
	return m.s.TryAcquire(int(n))
}

func (m marusamaSem) Release(n int64) {
	if n > 0 {
		m.s.Release(int(n))
	}
}

// Held is the library's own count of held units, for the post-run check.
func (m marusamaSem) Held() int64 { return int64(m.s.GetCount()) }
