package snapshots

import (
	"time"
	"unsafe"

	"github.com/syncbench/syncbench/impls"
)

// DefaultKeys is the number of entries in the state when Config.Keys is zero.
const DefaultKeys = 64

// MaxKeys bounds Config.Keys: a reload rewrites every entry.
const MaxKeys = 1 << 24

// State is one version of the shared, read-mostly state (a configuration, a
// routing table): a version number and Keys entries, every one written with
// that version. A read that finds fields of two versions has seen a torn state.
type State struct {
	// Version numbers the reloads from 1 (the state a store is built with).
	Version uint64
	// Entries are the state's entries, as many as the target's keys.
	Entries []Entry
}

// Entry is one entry of the state: the version that wrote it and a value
// derived from that version and the entry's index.
type Entry struct {
	Version uint64
	Value   uint64
}

// stateBytes is what one version of keys entries takes in memory: what a
// copy-on-write reload allocates.
func stateBytes(keys int) int64 {
	return int64(unsafe.Sizeof(State{})) + int64(keys)*int64(unsafe.Sizeof(Entry{}))
}

// entryValue is entry i's value in version v.
func entryValue(v uint64, i int) uint64 { return v*0x9E3779B97F4A7C15 + uint64(i) }

// Builder writes a new version of the state. A Store calls its Build once per
// Reload, while it excludes every other Reload.
type Builder interface {
	// Build writes into dst the version after prev: dst.Version is
	// prev.Version+1, and dst.Entries holds as many entries as prev's, each
	// written with the new version (allocated when dst has too few). dst and
	// prev may be the same state (a store that rewrites in place), or dst a
	// fresh State (copy-on-write). It then spends the reload's busy work (the
	// cost of building a real state). It must not be called concurrently with
	// itself on the same dst.
	Build(dst, prev *State)
}

// builder is the target's Builder for one worker: it carries the op's work.
// Each worker has its own, made with the target, so a reload passes a pointer
// and allocates nothing itself.
type builder struct {
	work time.Duration
	_    [cacheLine - 8]byte
}

func (b *builder) Build(dst, prev *State) {
	v := prev.Version + 1
	n := len(prev.Entries)
	if cap(dst.Entries) < n {
		dst.Entries = make([]Entry, n)
	}
	dst.Entries = dst.Entries[:n]
	dst.Version = v
	for i := range dst.Entries {
		dst.Entries[i] = Entry{Version: v, Value: entryValue(v, i)}
	}
	impls.BusyWork(b.work)
}

// initialState is version 1 of keys entries.
func initialState(keys int) *State {
	s := &State{Version: 1, Entries: make([]Entry, keys)}
	for i := range s.Entries {
		s.Entries[i] = Entry{Version: 1, Value: entryValue(1, i)}
	}
	return s
}

// cacheLine is the padding unit that keeps one worker's slot off another's
// cache line.
const cacheLine = 64
