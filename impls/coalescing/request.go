package coalescing

import (
	"context"
	"time"
)

// Request is one caller's request to the backend.
type Request struct {
	// Key is the key asked for (Op.Key).
	Key uint64
	// Hold is how long the backend sleeps before it answers (I/O), and Work how
	// long it then spins (CPU): Op.Hold and Op.Work of the caller whose fetch
	// runs.
	Hold, Work time.Duration
}

// Answer is the backend's answer for one key.
type Answer struct {
	// Key is the key the answer is for.
	Key uint64
	// Value is ValueOf(Key): a caller checks both, so an answer meant for
	// another key, or a zero Answer, is caught.
	Value uint64
}

// ValueOf is the value the backend returns for key: a bijective 64-bit mix
// of it plus one, so no two keys share a value, and ValueOf(0) is 1, so the zero
// Answer is no key's answer.
func ValueOf(key uint64) uint64 {
	key ^= key >> 33
	key *= 0xff51afd7ed558ccd
	key ^= key >> 33
	return key + 1
}

// Fetch calls the backend for req and returns its answer, or an error when ctx
// ended first (the call then counts as aborted) or the target was closed.
type Fetch func(ctx context.Context, req Request) (Answer, error)
