package snapshots

import (
	"context"
	"fmt"

	"github.com/syncbench/syncbench/impls"
)

// NewTarget adapts a store of your own to impls.Target with the checks and
// figures the built-in stores have, which they get through this same code. s
// must hold version 1 of a state of keys entries, as NewState makes it, where
// keys is cfg.Keys (DefaultKeys when zero).
//
// A write (impls.OpWrite) reloads: s.Reload with a Builder that writes the next
// version and spends op.Work busy. Any other op reads: s.Load, then two
// entries (op.Key's, modulo the keys, and the one half the state away) and the
// state's version are copied, op.Work is spent busy, and s.Done ends the read;
// the copies are checked after it. Every op is impls.OK: a store cannot refuse.
//
// Verify fails with an *impls.InvariantError when a read saw fields of two
// versions (a torn read: the store let a reload rewrite what a reader was
// looking at), a worker read a version older than one it had read before (a
// stale read), or the final version is not 1 + the reloads (a lost reload:
// two reloads built on the same version). Stats reports keys, reads, reloads,
// torn_reads, stale_reads, final_version, state_bytes (one version's size: what
// a copy-on-write reload allocates) and copies_on_reload (1 when the store
// builds a fresh copy, 0 when it rewrites in place; not reported for a store of
// yours), counting warm-up ops too.
//
// A bad cfg (negative keys, more than MaxKeys) is an error naming the value.
// The Target is safe for concurrent use as the impls.Target contract requires.
func NewTarget(s Store, cfg impls.Config) (impls.Target, error) {
	keys, err := parseKeys("", cfg)
	if err != nil {
		return nil, err
	}
	return newTarget("", keys, cfg.Workers, s, -1), nil
}

// NewState returns version 1 of a state of keys entries (DefaultKeys when
// keys is zero or less), what a Store given to NewTarget must start from.
func NewState(keys int) *State {
	if keys <= 0 {
		keys = DefaultKeys
	}
	return initialState(keys)
}

// parseKeys returns the state's size from cfg.Keys: DefaultKeys when zero; a
// negative count or one above MaxKeys is an error naming it.
func parseKeys(impl string, cfg impls.Config) (int, error) {
	prefix := ""
	if impl != "" {
		prefix = impl + ": "
	}
	switch {
	case cfg.Keys < 0:
		return 0, fmt.Errorf(prefix+"keys %d is negative (allowed: 1 or more, or 0 for the default %d)", cfg.Keys, DefaultKeys)
	case cfg.Keys > MaxKeys:
		return 0, fmt.Errorf(prefix+"keys %d is too many (allowed: up to %d; every reload rewrites them all)", cfg.Keys, MaxKeys)
	case cfg.Keys == 0:
		return DefaultKeys, nil
	}
	return cfg.Keys, nil
}

// target drives a Store: reads check what they saw, reloads count.
type target struct {
	impl  string
	keys  int
	store Store
	// copies is 1 when the store builds a fresh copy per reload, 0 when it
	// rewrites in place, −1 when unknown (a user's store); for Stats.
	copies  float64
	workers []slot
}

// slot is one worker's ledger, written by it alone (a worker never issues two
// ops at once) and read by Verify and Stats after every op returned.
type slot struct {
	b              builder
	reads, reloads int64
	torn, stale    int64
	last           uint64 // the newest version this worker read
	firstTorn      torn
	firstStale     [2]uint64 // the version read, after the newer one
	_              [cacheLine]byte
}

// torn is what a torn read saw: the state's version and the entries'.
type torn struct {
	version, first, second uint64
	key                    uint64
}

func newTarget(impl string, keys, workers int, s Store, copies float64) *target {
	return &target{impl: impl, keys: keys, store: s, copies: copies, workers: make([]slot, max(workers, 1))}
}

// Do reads or reloads (see NewTarget). A worker outside [0, Config.Workers)
// is impls.Error: it has no ledger.
func (t *target) Do(ctx context.Context, op impls.Op) impls.Outcome {
	if uint(op.Worker) >= uint(len(t.workers)) {
		return impls.Error
	}
	w := &t.workers[op.Worker]
	if op.Kind == impls.OpWrite {
		w.b.work = op.Work
		t.store.Reload(&w.b)
		w.reloads++
		return impls.OK
	}
	k := int(op.Key % uint64(t.keys))
	k2 := k + t.keys/2
	if k2 >= t.keys {
		k2 -= t.keys
	}
	s, token := t.store.Load()
	v, n := s.Version, len(s.Entries)
	var e1, e2 Entry
	if n == t.keys {
		e1, e2 = s.Entries[k], s.Entries[k2]
	}
	impls.BusyWork(op.Work)
	t.store.Done(token)
	w.reads++
	if n != t.keys || e1.Version != v || e2.Version != v || e1.Value != entryValue(v, k) || e2.Value != entryValue(v, k2) {
		if w.torn == 0 {
			w.firstTorn = torn{version: v, first: e1.Version, second: e2.Version, key: uint64(k)}
		}
		w.torn++
	}
	if v < w.last {
		if w.stale == 0 {
			w.firstStale = [2]uint64{v, w.last}
		}
		w.stale++
	} else {
		w.last = v
	}
	return impls.OK
}

// Verify checks the reads' ledgers and the final state (see NewTarget).
func (t *target) Verify() error {
	fail := func(format string, args ...any) error {
		return &impls.InvariantError{Impl: t.impl, Detail: fmt.Sprintf(format, args...)}
	}
	var reloads int64
	for i := range t.workers {
		w := &t.workers[i]
		reloads += w.reloads
		if w.torn > 0 {
			f := w.firstTorn
			return fail("worker %d saw %d torn reads (first: state version %d, entry %d of version %d, entry %d of version %d): a reload rewrote what a reader was looking at",
				i, w.torn, f.version, f.key, f.first, (int(f.key)+t.keys/2)%t.keys, f.second)
		}
		if w.stale > 0 {
			return fail("worker %d read version %d after version %d (%d stale reads): a reader went back in time", i, w.firstStale[0], w.firstStale[1], w.stale)
		}
	}
	s, token := t.store.Load()
	v, n := s.Version, len(s.Entries)
	bad := -1
	for i, e := range s.Entries {
		if e.Version != v || e.Value != entryValue(v, i) {
			bad = i
			break
		}
	}
	t.store.Done(token)
	switch {
	case n != t.keys:
		return fail("the final state has %d entries, want %d", n, t.keys)
	case bad >= 0:
		return fail("the final state (version %d) has entry %d of another version", v, bad)
	case v != uint64(1+reloads):
		return fail("the final version is %d after %d reloads from version 1 (want %d): reloads lost", v, reloads, 1+reloads)
	}
	return nil
}

// Stats reports the ledgers' totals and the state's shape (see NewTarget).
func (t *target) Stats() map[string]float64 {
	var reads, reloads, tornReads, stale int64
	for i := range t.workers {
		w := &t.workers[i]
		reads, reloads, tornReads, stale = reads+w.reads, reloads+w.reloads, tornReads+w.torn, stale+w.stale
	}
	s, token := t.store.Load()
	v := s.Version
	t.store.Done(token)
	m := map[string]float64{
		"keys":          float64(t.keys),
		"reads":         float64(reads),
		"reloads":       float64(reloads),
		"torn_reads":    float64(tornReads),
		"stale_reads":   float64(stale),
		"final_version": float64(v),
		"state_bytes":   float64(stateBytes(t.keys)),
	}
	if t.copies >= 0 {
		m["copies_on_reload"] = t.copies
	}
	return m
}

// Close does nothing: the state is memory only.
func (t *target) Close() error { return nil }
