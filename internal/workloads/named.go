package workloads

import (
	"math/rand/v2"
	"sort"
	"time"
)

// NamedWorkload is a built-in workload selected with -workload NAME: a preset of
// the op mix, key distribution, timings and (for open-loop presets) the arrival
// schedule. A nil pointer or empty field means the preset leaves that setting to
// the flags and their defaults; explicit flags override whatever the preset sets.
type NamedWorkload struct {
	// Name is the lower-case name used by -workload.
	Name string
	// Summary is a one-line description shown by `loadgen list`.
	Summary string

	// ReadRatio is the fraction of ops that are reads, in [0, 1].
	ReadRatio *float64
	// Mix is the op-kind mix (loads, stores, deletes); when set it overrides
	// ReadRatio, as -mix overrides -read-ratio.
	Mix *Mix
	// Keys is the number of distinct keys.
	Keys *int
	// Zipf is the key skew: 0 for uniform, > 1 for Zipf (see NewKeyChooser).
	Zipf *float64
	// Work is busy CPU time inside the critical section.
	Work *time.Duration
	// Hold is sleeping time while a lock or semaphore is held.
	Hold *time.Duration
	// Think is a closed-loop worker's pause between ops.
	Think *time.Duration

	// Arrival names the open-loop schedule; "" leaves the model to the flags
	// (closed loop unless -rps is given).
	Arrival string
	// Rate is the open-loop rate in ops/s the preset offers when -rps is not given.
	Rate *float64
	// Shape holds the preset's shape parameters (ramp, burst, ...); zero fields are
	// unset. Use ApplyArrival to merge it under the flags.
	Shape ArrivalParams
}

// namedWorkloads are the presets. Rates are modest so that an open-loop preset
// runs on a laptop against any implementation without overwhelming the harness.
var namedWorkloads = []NamedWorkload{
	{Name: "read-heavy", Summary: "90% reads, 10% writes on one key: where RWMutex should win", ReadRatio: new(0.9), Keys: new(1)},
	{Name: "write-heavy", Summary: "10% reads, 90% writes on one key: where reader/writer locks cost extra", ReadRatio: new(0.1), Keys: new(1)},
	{Name: "balanced", Summary: "50% reads, 50% writes on one key", ReadRatio: new(0.5), Keys: new(1)},
	{Name: "contended", Summary: "all writes to one key with 1µs of work inside: maximum contention", ReadRatio: new(0.0), Keys: new(1), Work: new(time.Microsecond)},
	{Name: "spread", Summary: "90% reads over 1024 keys with Zipf(1.1) skew: sharded maps and keyed limiters", ReadRatio: new(0.9), Keys: new(1024), Zipf: new(1.1)},
	// xsync's published map benchmarks (BENCHMARKS.md, IntegerMapOf_WarmUp and
	// IntegerMapStandard_WarmUp): 1,000 integer keys filled before the run,
	// uniform keys, each mix as its benchmark case names it.
	{Name: "map-reads-100", Summary: "maps: 100% loads over 1000 filled keys (xsync's reads=100% benchmark)", Mix: &Mix{Load: 100}, Keys: new(1000)},
	{Name: "map-reads-99", Summary: "maps: 99% loads, 0.5% stores, 0.5% deletes over 1000 filled keys (xsync's reads=99%)", Mix: &Mix{Load: 99, Store: 0.5, Delete: 0.5}, Keys: new(1000)},
	{Name: "map-reads-90", Summary: "maps: 90% loads, 5% stores, 5% deletes over 1000 filled keys (xsync's reads=90%)", Mix: &Mix{Load: 90, Store: 5, Delete: 5}, Keys: new(1000)},
	{Name: "map-reads-75", Summary: "maps: 75% loads, 12.5% stores, 12.5% deletes over 1000 filled keys (xsync's reads=75%)", Mix: &Mix{Load: 75, Store: 12.5, Delete: 12.5}, Keys: new(1000)},
	{Name: "bursty", Summary: "open loop: 10000 ops/s in 100ms bursts every 500ms (2000 ops/s mean)", Arrival: ArrivalBurst, Rate: new(10000.0), Shape: ArrivalParams{BurstOn: 100 * time.Millisecond, BurstOff: 400 * time.Millisecond}},
	{Name: "ramp-up", Summary: "open loop: rate ramps linearly from 100 to 5000 ops/s over the run", Arrival: ArrivalRamp, Rate: new(5000.0), Shape: ArrivalParams{RampFrom: 100}},
	{Name: "poisson", Summary: "open loop: 2000 ops/s with Poisson (exponential) gaps, like independent clients", Arrival: ArrivalPoisson, Rate: new(2000.0)},
	// Queues: the workers produce, the target's consumers take the items.
	{Name: "queue-idle", Summary: "queues: open loop at 10 items/s: what the consumers cost while they wait (polling ones keep a core busy)", Arrival: ArrivalConstant, Rate: new(10.0)},
	{Name: "queue-burst", Summary: "queues: open loop, 20000 items/s in 50ms bursts every 500ms: the queue absorbs each burst (time in queue)", Arrival: ArrivalBurst, Rate: new(20000.0), Shape: ArrivalParams{BurstOn: 50 * time.Millisecond, BurstOff: 450 * time.Millisecond}},
	{Name: "queue-slow-consumer", Summary: "queues: closed loop, 1µs of consumer work per item: producers wait on a full queue", Work: new(time.Microsecond)},
	// Snapshots: read-mostly state over 64 entries; a store is a reload.
	{Name: "snapshot-read", Summary: "snapshots: reads only over a 64-entry state: the read cost alone", Mix: &Mix{Load: 100}, Keys: new(64)},
	{Name: "snapshot-reload", Summary: "snapshots: 99% reads, 1% reloads of a 64-entry state: reads while reloads run", Mix: &Mix{Load: 99, Store: 1}, Keys: new(64)},
	// Pools: a buffer filled (work) and held across a write (hold), so objects
	// stay out of the pool for a while, as an I/O buffer does.
	{Name: "pool-io", Summary: "pools: each object filled for 2µs and held 50µs across a write", Work: new(2 * time.Microsecond), Hold: new(50 * time.Microsecond)},
	// Coalescing: every caller on one key of a 1 ms backend, then a Zipf spread
	// of 64 keys, where the hot keys gather herds and the cold ones do not.
	{Name: "herd", Summary: "coalescing: every caller asks for one key of a backend taking 1ms", Keys: new(1), Hold: new(time.Millisecond)},
	{Name: "herd-zipf", Summary: "coalescing: callers spread over 64 keys with Zipf(1.1) skew, a backend taking 1ms", Keys: new(64), Zipf: new(1.1), Hold: new(time.Millisecond)},
}

// NamedWorkloads returns every built-in workload, ordered by name. The slice is a
// copy; its pointers are shared and must not be written through.
func NamedWorkloads() []NamedWorkload {
	out := append([]NamedWorkload(nil), namedWorkloads...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LookupWorkload returns the built-in workload called name (exact, lower-case).
func LookupWorkload(name string) (NamedWorkload, bool) {
	for _, w := range namedWorkloads {
		if w.Name == name {
			return w, true
		}
	}
	return NamedWorkload{}, false
}

// SuggestWorkload returns the built-in workload name closest to a misspelled name
// (within two edits), or "".
func SuggestWorkload(name string) string {
	names := make([]string, len(namedWorkloads))
	for i, w := range namedWorkloads {
		names[i] = w.Name
	}
	return closest(name, names)
}

// ApplyArrival returns p with the preset's arrival settings filled in wherever the
// user did not give the flag: changed reports whether a flag (spelled "rps",
// "ramp-from", "ramp-to", "ramp-over", "stages", "amplitude", "period",
// "burst-on", "burst-off", "replay") was set explicitly, as pflag's
// FlagSet.Changed does. The preset's Arrival name is not part of p; apply it the
// same way for "arrival".
func (w NamedWorkload) ApplyArrival(p ArrivalParams, changed func(flag string) bool) ArrivalParams {
	if w.Rate != nil && !changed("rps") {
		p.Rate = *w.Rate
	}
	s := w.Shape
	set := func(flag string, preset bool) bool { return preset && !changed(flag) }
	if set("ramp-from", s.RampFrom != 0) {
		p.RampFrom = s.RampFrom
	}
	if set("ramp-to", s.RampTo != 0) {
		p.RampTo = s.RampTo
	}
	if set("ramp-over", s.RampOver != 0) {
		p.RampOver = s.RampOver
	}
	if set("stages", s.Stages != "") {
		p.Stages = s.Stages
	}
	if set("amplitude", s.Amplitude != 0) {
		p.Amplitude = s.Amplitude
	}
	if set("period", s.Period != 0) {
		p.Period = s.Period
	}
	if set("burst-on", s.BurstOn != 0) {
		p.BurstOn = s.BurstOn
	}
	if set("burst-off", s.BurstOff != 0) {
		p.BurstOff = s.BurstOff
	}
	if set("replay", s.ReplayFile != "") {
		p.ReplayFile = s.ReplayFile
	}
	return p
}

// NewKeyChooser returns a function drawing keys in [0, keys), seeded and
// reproducible. zipfS > 1 skews the draw by Zipf's law, P(k) ∝ (1+k)^−s, so key 0
// is the hottest (math/rand/v2's Zipf requires s > 1); zipfS ≤ 1 (including 0,
// the default) draws uniformly. keys ≤ 1 always returns 0.
//
// The chooser is meant for one worker: it is not safe for concurrent use, which
// keeps it to a few nanoseconds and off any shared cache line. Give each worker
// its own seed.
func NewKeyChooser(keys int, zipfS float64, seed uint64) func() uint64 {
	if keys <= 1 {
		return func() uint64 { return 0 }
	}
	rng := rand.New(rand.NewPCG(seed, seedStream))
	if zipfS > 1 {
		z := rand.NewZipf(rng, zipfS, 1, uint64(keys-1))
		return z.Uint64
	}
	n := uint64(keys)
	return func() uint64 { return rng.Uint64N(n) }
}
