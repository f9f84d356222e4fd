package workloads

// turn serialises the open loop's workers on the shared schedule: one token in a
// one-slot channel. The worker holding it claims the next instant (Arrivals are
// not safe for concurrent use) and, below turnPacingMaxRate, waits for that
// instant before passing the token on, so one goroutine waits on the clock
// however many workers the run has.
//
// A channel rather than a sync.Mutex: workers queued for the turn park on the
// channel, which the runtime's /sync/mutex/wait/total:seconds does not count, so
// the harness's own hand-offs are not reported as the target's lock contention
// (with a mutex they were nearly all of it: one waiter per idle worker, all run).
type turn chan struct{}

// newTurn returns a turn whose token is free.
func newTurn() turn {
	t := make(turn, 1)
	t <- struct{}{}
	return t
}

// take blocks until the caller holds the turn.
func (t turn) take() { <-t }

// pass hands the turn to the next worker. Only the holder may call it.
func (t turn) pass() { t <- struct{}{} }
