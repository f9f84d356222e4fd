package adaptive

// Fixed is the baseline: a limit that never moves, a semaphore of the initial
// size with try-acquire (a call finding it full is shed, not queued), sized for
// the backend's healthy capacity as an operator would size it.
type Fixed struct{}

// Update returns limit unchanged.
func (Fixed) Update(limit float64, _ Window) float64 { return limit }

// Name says what the rule is.
func (Fixed) Name() string { return "fixed semaphore" }
