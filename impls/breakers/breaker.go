package breakers

// State is a circuit breaker's state.
type State uint8

// Breaker states. A breaker starts Closed.
const (
	// Closed lets every call through and counts failures.
	Closed State = iota
	// HalfOpen lets a few probe calls through to learn whether the backend
	// has recovered.
	HalfOpen
	// Open sheds every call.
	Open
)

var stateNames = [...]string{Closed: "closed", HalfOpen: "half-open", Open: "open"}

// String returns "closed", "half-open" or "open".
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "state?"
}

// legal reports whether a breaker may go from one state to the other: closed →
// open (tripped), open → half-open (the open period is over), half-open →
// closed (the probes succeeded) or → open (a probe failed).
func legal(from, to State) bool {
	switch from {
	case Closed:
		return to == Open
	case Open:
		return to == HalfOpen
	case HalfOpen:
		return to == Closed || to == Open
	}
	return false
}

// Breaker is a circuit breaker as this family drives it. gobreaker's
// TwoStepCircuitBreaker, failsafe-go's circuit breaker and "no breaker" are
// adapted to it; so can a user's own, for [NewTarget].
//
// Implementations must be safe for concurrent use.
type Breaker interface {
	// Allow asks whether a call may go through now. When ok, done must be
	// called exactly once, when the call ends, with whether it succeeded.
	Allow() (done func(success bool), ok bool)
}

// BreakerFunc adapts a function to the Breaker interface.
type BreakerFunc func() (done func(success bool), ok bool)

// Allow calls f.
func (f BreakerFunc) Allow() (func(success bool), bool) { return f() }
