// Package cleanup tracks the temporary files and directories a process has
// open, so that a path which skips deferred cleanup (the command line's
// os.Exit on a second interrupt) can still remove them.
//
// Deferred removal stays the normal way to clean up; Track is the safety net
// beside it. All functions are safe for concurrent use.
package cleanup

import (
	"os"
	"sync"
)

var (
	mu    sync.Mutex
	next  uint64
	paths = map[uint64]string{}
)

// Track records path (a file, or a directory removed with its contents) for
// RemoveAll and returns the function that forgets it again, to be called once
// the path is committed (renamed into place) or removed. Calling the returned
// function twice is harmless.
func Track(path string) (forget func()) {
	mu.Lock()
	defer mu.Unlock()
	next++
	id := next
	paths[id] = path
	return func() {
		mu.Lock()
		defer mu.Unlock()
		delete(paths, id)
	}
}

// RemoveAll removes every tracked path still recorded and forgets it. It is
// meant for the moment before a hard exit; errors are ignored, since there is
// no one left to report them to.
func RemoveAll() {
	mu.Lock()
	defer mu.Unlock()
	for id, path := range paths {
		_ = os.RemoveAll(path)
		delete(paths, id)
	}
}

// Pending returns the tracked paths, for tests.
func Pending() []string {
	mu.Lock()
	defer mu.Unlock()
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		out = append(out, p)
	}
	return out
}
