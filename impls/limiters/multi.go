package limiters

import "github.com/syncbench/syncbench/impls"

// Multi enforces two limits at once, the way API quotas combine a short-term rate
// with a longer-term cap: a token bucket (Limit, Burst) — at most Burst + Limit·t
// in any window t — and a sliding log admitting L = ⌊Limit·Window⌋ per Window, so
// that no window of length Window, however aligned, holds more than L even though
// the bucket alone would let Burst + L through.
//
// Admission rule: AllowN(n) at instant t admits iff both parts admit n at t, and
// then charges both. Both are tested and charged under one mutex at one instant,
// so there is no ordering effect and nothing to refund: a refusal by either part
// charges neither. n above Burst or L is refused.
//
// Admission bound (AdmissionBound): min(b + r·w, L·⌈w/W⌉), since every admission
// is admitted by both parts and each part's bound holds on its own (see
// [TokenBucketMutex] and [SlidingLog]). Sustained rate min(r, L/W), with r = 1e9/T.
//
// Safe for concurrent use (mutex). Memory is the sliding log's 8·L bytes.
type Multi struct{ locked }

// NewMulti returns a multi-limit limiter configured by cfg.
func NewMulti(cfg impls.Config) (*Multi, error) {
	s, err := parseConfig(cfg)
	if err != nil {
		return nil, err
	}
	return newMulti(s)
}

func newMulti(s settings) (*Multi, error) {
	log, err := newLogCore(s)
	if err != nil {
		return nil, err
	}
	c := allOf{newBucketCore(s), log}
	bound := s.rateBound("token bucket and sliding log")
	bound.Rule, bound.Shape = "min(b + r·w, L per any W)", impls.BoundRateAndWindow
	win := s.windowBound("", "", impls.BoundSlidingWindow, "")
	bound.Window, bound.PerWindow, bound.Rate = win.Window, win.PerWindow, min(bound.Rate, win.Rate)
	return &Multi{locked{c: c, clock: s.clock, max: min(s.burst, log.limit), bound: bound}}, nil
}

// allOf admits iff every part admits.
type allOf []core

func (a allOf) check(now, n int64) (bool, int64) {
	ok, retry := true, int64(0)
	for _, c := range a {
		if cok, cretry := c.check(now, n); !cok {
			ok, retry = false, max(retry, cretry)
		}
	}
	return ok, retry
}

func (a allOf) commit(now, n int64) {
	for _, c := range a {
		c.commit(now, n)
	}
}
