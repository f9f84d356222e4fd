package impls

import "time"

// WindowObserver is implemented by targets whose behaviour or figures follow the
// run's clock: a backend whose capacity changes on a schedule starts that schedule
// when the measured window opens, and the breakers and limiters in front of it are
// scored over the window only. The harness calls WindowOpened once, as the
// measured window opens (after the warm-up, while warm-up ops may still be in
// flight), and WindowClosed once after the last op has returned, with the
// window's end; neither is called for a run interrupted during its warm-up.
// Both must be safe to call concurrently with Do. A wrapper forwards both to the
// target it wraps.
type WindowObserver interface {
	WindowOpened(t time.Time)
	WindowClosed(t time.Time)
}

// ExtrasReporter is implemented by targets whose family figures do not fit
// StatsReporter's flat numbers: a timeline of a limit against the capacity it
// tracked, the breaker's state transitions. Extras is called once, after Verify
// (and after WindowClosed); each entry becomes the group Result.Extras[name],
// and its value must marshal to a JSON object (a struct with JSON tags or a
// map[string]any), whose field names are the group's keys.
type ExtrasReporter interface {
	Extras() map[string]any
}
