package impls

// Mode is a target's blocking style (Config.Mode): how an op that cannot
// proceed at once behaves. Each family names its own modes and their default:
// semaphores ModeAcquire and ModeTry, limiters ModeAllow and ModeWait. The
// empty Mode selects the family's default.
type Mode string

// The blocking styles the built-in families accept.
const (
	// ModeAcquire blocks until the semaphore grants the weight (semaphores' default).
	ModeAcquire Mode = "acquire"
	// ModeTry takes the weight only if it is free at once, else the op is denied.
	ModeTry Mode = "try"
	// ModeAllow decides at once: an event is admitted or denied (limiters' default).
	ModeAllow Mode = "allow"
	// ModeWait waits until the limiter admits the event.
	ModeWait Mode = "wait"
)

// ModeReporter is implemented by targets whose blocking style can differ from
// the Config.Mode they were given: a limiter that can only wait runs in "wait"
// mode when Mode is empty. Mode returns the style the target actually uses
// ("allow" or "wait" for limiters), so results record what ran rather than
// what was asked; it is called once, after the run, and must not block.
type ModeReporter interface {
	Mode() Mode
}
