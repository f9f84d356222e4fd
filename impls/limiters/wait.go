package limiters

import (
	"context"
	"time"
)

// tryFunc attempts to admit n events now. When it refuses it returns how long, in
// ns, until a retry might succeed (at least 1); the hint may be early (another
// caller can take the capacity first), never needed for correctness.
type tryFunc func(n int64) (ok bool, retryNs int64)

// waitRetry implements WaitN for limiters that cannot reserve: it retries after the
// limiter's hint until admitted or ctx ends. It is not FIFO: a later caller may be
// admitted before an earlier one whose sleep has not ended. max is the largest n
// that can ever be admitted.
func waitRetry(ctx context.Context, n, max int64, try tryFunc) error {
	if n < 1 {
		return nil
	}
	if n > max {
		return ErrExceedsBurst
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		ok, retry := try(n)
		if ok {
			return nil
		}
		if err := sleepCtx(ctx, time.Duration(max64(retry, 1))); err != nil {
			return err
		}
	}
}

// sleepCtx sleeps for d on the real clock, or until ctx ends (returning its error).
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}
