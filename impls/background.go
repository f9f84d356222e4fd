package impls

// Background is implemented by targets that run goroutines of their own beside
// the workers' calls to Do: a queue's consumers. Their CPU is the target's, but
// an open loop measures the target's CPU on the calling thread around Do, which
// cannot see it; for such a target the rest of the process's CPU is not the
// harness's alone, and the harness does not claim it (its CPU share is then
// reported as not measured, and the process's CPU is shown whole).
type Background interface {
	// BackgroundGoroutines is the number of goroutines the target runs of its
	// own while ops run. It is called once, after the run, and must not block.
	BackgroundGoroutines() int
}
