package limiters

import (
	"context"
	"errors"

	"github.com/syncbench/syncbench/impls"
)

// target adapts a Limiter (or, in keyed mode, one Limiter per key) to impls.Target.
// Allow mode: admitted → OK, refused → Denied, a fallible limiter's error → Error.
// Wait mode: admitted → OK, ctx done first → Timeout, a request that can never be
// admitted (ErrExceedsBurst) → Denied, any other error → Error.
type target struct {
	pick func(key uint64) (Limiter, error)
	wait bool
	keys *Keyed // nil when unkeyed
	// bound is the limiter's stated admission bound (per key when keyed); zero
	// when the limiter states none.
	bound impls.AdmissionBound
}

// AdmissionBound returns the limiter's own bound, marked PerKey in keyed mode.
func (t *target) AdmissionBound() impls.AdmissionBound { return t.bound }

// Mode returns the mode the target runs in: ModeWait or ModeAllow. It is the
// effective one, so a wait-only limiter (uber) given no Mode reports ModeWait.
func (t *target) Mode() impls.Mode {
	if t.wait {
		return ModeWait
	}
	return ModeAllow
}

func (t *target) Do(ctx context.Context, op impls.Op) impls.Outcome {
	lim, err := t.pick(op.Key)
	if err != nil {
		return impls.Error
	}
	n := op.Units()
	if t.wait {
		switch err := lim.WaitN(ctx, n); {
		case err == nil:
			return impls.OK
		case errors.Is(err, ErrExceedsBurst):
			return impls.Denied
		case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
			return impls.Timeout
		default:
			return impls.Error
		}
	}
	if f, ok := lim.(fallibleLimiter); ok {
		admitted, err := f.TryAllowN(n)
		switch {
		case err != nil:
			return impls.Error
		case admitted:
			return impls.OK
		default:
			return impls.Denied
		}
	}
	if lim.AllowN(n) {
		return impls.OK
	}
	return impls.Denied
}

// Verify has nothing to check for a single limiter: its admission rule is what is
// measured, by the accuracy metrics, not an invariant. The keyed wrapper checks its
// bookkeeping.
func (t *target) Verify() error {
	if t.keys != nil {
		return t.keys.verify()
	}
	return nil
}

// Stats reports the keyed wrapper's figures; an unkeyed target reports none.
func (t *target) Stats() map[string]float64 {
	if t.keys != nil {
		return t.keys.Stats()
	}
	return nil
}

func (t *target) Close() error {
	if t.keys != nil {
		t.keys.Close()
	}
	return nil
}
