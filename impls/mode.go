package impls

// ModeReporter is implemented by targets whose blocking style can differ from
// the Config.Mode they were given: a limiter that can only wait runs in "wait"
// mode when Mode is empty. Mode returns the style the target actually uses
// ("allow" or "wait" for limiters), so results record what ran rather than
// what was asked; it is called once, after the run, and must not block.
type ModeReporter interface {
	Mode() string
}
