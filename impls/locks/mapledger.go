package locks

import (
	"fmt"
	"iter"
	"unsafe"

	"github.com/syncbench/syncbench/impls"
)

// mapLedger records, per worker, what a map target told its callers: which loads
// hit, which stores inserted a key and which deletes removed one. Verify compares
// it with the map's final contents.
//
// The check is conservation of entries. The map starts with exactly one entry per
// key (the fill); a store that inserts adds one, a delete that removes takes one
// away, and nothing else changes which keys are present. So after the run the map
// must hold filled + inserted − removed entries, and a fingerprint of their keys
// (a wrapping sum of a 64-bit mix of each key) must equal the fill's fingerprint
// plus the inserted keys' minus the removed keys'. A store reported as an
// overwrite that was really an insert, a delete that said it removed an entry
// that stays, or an entry that vanished, all break one of the two. Every value the
// target hands back (a load's, a store's previous value, a delete's removed
// value, and each entry left at the end) must also carry the key it was stored
// under, which catches a value landing under the wrong key.
//
// A blind overwrite that is lost (the old value stays) cannot be seen this way:
// it leaves the key set as it was. The targets report insert-or-overwrite with
// the call that already returns it, never an extra lookup, so the bookkeeping
// adds a few plain increments after the op and nothing inside it.
//
// Slots are plain integers, as in ledger: each worker index belongs to one Do call
// at a time and Verify runs after every Do has returned.
type mapLedger struct {
	impl    string
	keys    keySpace
	filled  int64  // entries the fill put in
	fillSum uint64 // Σ mixKey over the filled keys, wrapping
	final   int64  // entries Verify found, for Stats; -1 before Verify
	slots   []mapSlot
}

// mapCounts is one worker's share of a mapLedger. Counts include warm-up ops
// and ops cut off at the end of a run: the ledger sees every Do, measured or not.
type mapCounts struct {
	loadsHit, loadsMissed int64
	inserted, overwrote   int64
	removed, deleteMissed int64
	keySum                uint64 // Σ mixKey(inserted) − Σ mixKey(removed), wrapping
	misplaced             int64  // values handed back under a key they were not stored under
	badKey, badValue      uint64 // the first misplaced value, for the message
	stores                uint32 // stores issued, the low half of each stored value
}

// mapSlot pads a worker's counts to whole cache lines, so that workers counting
// in parallel never share one.
type mapSlot struct {
	mapCounts
	_ [cacheLine - unsafe.Sizeof(mapCounts{})%cacheLine]byte
}

// maxMapKeys is the largest key space a map target accepts: a stored value holds
// its key in 32 bits.
const maxMapKeys = 1 << 32

// newMapLedger returns a ledger for impl over keys with one slot per worker (at
// least one). It refuses a key space a value cannot tag.
func newMapLedger(impl string, keys keySpace, workers int) (mapLedger, error) {
	if keys > maxMapKeys {
		return mapLedger{}, fmt.Errorf("keys %d is above %d (allowed: 1 to %d for a map; each stored value tags its key in 32 bits)",
			uint64(keys), uint64(maxMapKeys), uint64(maxMapKeys))
	}
	return mapLedger{impl: impl, keys: keys, final: -1, slots: make([]mapSlot, max(workers, 1))}, nil
}

// fill stores one entry under every key through put, before any op runs, so that
// loads hit and the first stores overwrite, as in a cache that is already warm.
func (l *mapLedger) fill(put func(key, value uint64)) {
	for key := range uint64(l.keys) {
		put(key, entryValue(key, 0))
		l.fillSum += mixKey(key)
	}
	l.filled = int64(l.keys)
}

// entryValue is the value stored under key: the key in the high 32 bits, so a
// value found under another key is caught, and seq in the low 32 bits, so a
// store writes a value that differs from the one it replaces.
func entryValue(key uint64, seq uint32) uint64 { return key<<32 | uint64(seq) }

// belongsTo reports whether value was stored under key.
func belongsTo(value, key uint64) bool { return value>>32 == key }

func (l *mapLedger) slot(worker int) *mapSlot {
	if uint(worker) >= uint(len(l.slots)) {
		workerOutOfRange(worker, len(l.slots))
	}
	return &l.slots[worker]
}

// nextValue returns the value worker's next store to key writes.
func (l *mapLedger) nextValue(worker int, key uint64) uint64 {
	s := l.slot(worker)
	s.stores++
	return entryValue(key, s.stores)
}

// loaded books a load of key that found value (when found).
func (l *mapLedger) loaded(worker int, key, value uint64, found bool) {
	s := l.slot(worker)
	if !found {
		s.loadsMissed++
		return
	}
	s.loadsHit++
	s.check(key, value)
}

// stored books a store to key that inserted the key (or overwrote an entry).
func (l *mapLedger) stored(worker int, key uint64, inserted bool) {
	s := l.slot(worker)
	if inserted {
		s.inserted++
		s.keySum += mixKey(key)
	} else {
		s.overwrote++
	}
}

// deleted books a delete of key that removed an entry (or found none).
func (l *mapLedger) deleted(worker int, key uint64, removed bool) {
	s := l.slot(worker)
	if removed {
		s.removed++
		s.keySum -= mixKey(key)
	} else {
		s.deleteMissed++
	}
}

// handedBack checks a value the target returned for key besides a load's (a
// store's previous value, a delete's removed value).
func (l *mapLedger) handedBack(worker int, key, value uint64) {
	l.slot(worker).check(key, value)
}

func (s *mapSlot) check(key, value uint64) {
	if belongsTo(value, key) {
		return
	}
	if s.misplaced == 0 {
		s.badKey, s.badValue = key, value
	}
	s.misplaced++
}

// totals sums the slots. Only meaningful once no Do is running.
func (l *mapLedger) totals() mapCounts {
	var t mapCounts
	for i := range l.slots {
		t.add(&l.slots[i].mapCounts)
	}
	return t
}

// add adds o's counts to c, field by field, keeping the first misplaced value
// seen for the message. stores is not added: it numbers one worker's stores,
// and a sum of sequence numbers means nothing.
func (c *mapCounts) add(o *mapCounts) {
	c.loadsHit += o.loadsHit
	c.loadsMissed += o.loadsMissed
	c.inserted += o.inserted
	c.overwrote += o.overwrote
	c.removed += o.removed
	c.deleteMissed += o.deleteMissed
	c.keySum += o.keySum
	if c.misplaced == 0 && o.misplaced > 0 {
		c.badKey, c.badValue = o.badKey, o.badValue
	}
	c.misplaced += o.misplaced
}

// verify checks the map's final entries against the ledger.
func (l *mapLedger) verify(entries iter.Seq2[uint64, uint64]) error {
	var n int64
	var keySum uint64
	for key, value := range entries {
		if key >= uint64(l.keys) {
			return l.violation("the map holds key %d, outside the %d keys ops use", key, uint64(l.keys))
		}
		if !belongsTo(value, key) {
			return l.violation("key %d holds value %#x, which was stored under key %d", key, value, value>>32)
		}
		n++
		keySum += mixKey(key)
	}
	l.final = n
	t := l.totals()
	want := l.filled + t.inserted - t.removed
	if n != want {
		return l.violation("the map holds %d entries but the ledger expects %d (%d filled + %d inserted − %d removed): %s",
			n, want, l.filled, t.inserted, t.removed, entryDiscrepancy(n, want))
	}
	if keySum != l.fillSum+t.keySum {
		return l.violation("the map holds the expected %d entries, but their key fingerprint differs: "+
			"a key that should be present is missing and another one is present in its place", n)
	}
	if t.misplaced > 0 {
		return l.violation("%d values were handed back under a key they were not stored under (first: key %d, value %#x from key %d)",
			t.misplaced, t.badKey, t.badValue, t.badValue>>32)
	}
	return nil
}

// entryDiscrepancy names the direction of an entry-count mismatch.
func entryDiscrepancy(got, want int64) string {
	if got < want {
		return fmt.Sprintf("%d entries lost", want-got)
	}
	return fmt.Sprintf("%d entries present that no acknowledged store inserted", got-want)
}

func (l *mapLedger) violation(format string, args ...any) error {
	return &impls.InvariantError{Impl: l.impl, Detail: fmt.Sprintf(format, args...)}
}

// stats are the ledger's counts as ImplStats. They cover every Do, warm-up
// included, so they are the target's whole history, not the measured window's.
func (l *mapLedger) stats() map[string]float64 {
	t := l.totals()
	out := map[string]float64{
		"entries_filled":   float64(l.filled),
		"loads_hit":        float64(t.loadsHit),
		"loads_missed":     float64(t.loadsMissed),
		"stores_inserted":  float64(t.inserted),
		"stores_overwrote": float64(t.overwrote),
		"deletes_removed":  float64(t.removed),
		"deletes_missed":   float64(t.deleteMissed),
	}
	if l.final >= 0 {
		out["entries_final"] = float64(l.final)
	}
	return out
}

// settle books an op a target performed, after any lock is released: got and
// changed are a load's value and whether it was found, or whether a store
// inserted (rather than overwrote) or a delete removed an entry.
func (l *mapLedger) settle(op impls.Op, key, got uint64, changed bool) {
	switch op.Kind {
	case impls.OpWrite:
		l.stored(op.Worker, key, changed)
	case impls.OpDelete:
		l.deleted(op.Worker, key, changed)
	default:
		l.loaded(op.Worker, key, got, changed)
	}
}

// mixKey scatters a key over 64 bits (the splitmix64 finaliser, offset so that key
// 0 does not map to 0), so that the fingerprint of a key set changes when any
// key is swapped for another.
func mixKey(k uint64) uint64 {
	k += 0x9e3779b97f4a7c15
	k = (k ^ k>>30) * 0xbf58476d1ce4e5b9
	k = (k ^ k>>27) * 0x94d049bb133111eb
	return k ^ k>>31
}
