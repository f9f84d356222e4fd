// Package cleanup tracks the temporary files and directories a process has
// open, and the child processes that write into them, so that a path which
// skips deferred cleanup (the command line's os.Exit on a second interrupt) can
// still stop the writers and remove what they wrote.
//
// Deferred removal stays the normal way to clean up; Track is the safety net
// beside it. All functions are safe for concurrent use.
package cleanup

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"time"
)

// processGoneWait bounds how long RemoveAll waits for a killed child to be
// reaped before it removes the paths anyway. A SIGKILLed process is reaped
// within milliseconds; the bound only keeps a hard exit from hanging.
const processGoneWait = 2 * time.Second

var (
	mu        sync.Mutex
	next      uint64
	paths     = map[uint64]string{}
	processes = map[uint64]*os.Process{}
	// made are the directories MkdirAll created, in the order it created
	// them (each parent before its children).
	made []string
)

// MkdirAll is os.MkdirAll, and records each directory it had to create, so
// that RemoveAll removes those that are still empty: an output directory
// loadgen made for a run that a hard exit left with nothing in it. A
// directory that already existed is never removed, nor one holding anything.
func MkdirAll(dir string, perm os.FileMode) error {
	var missing []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || !errors.Is(err, os.ErrNotExist) {
			break
		}
		missing = append(missing, d)
		if parent := filepath.Dir(d); parent == d {
			break
		}
	}
	err := os.MkdirAll(dir, perm)
	mu.Lock()
	defer mu.Unlock()
	for _, d := range slices.Backward(missing) {
		// Only what exists now was made here (a failure part-way made the
		// first few).
		if info, statErr := os.Lstat(d); statErr == nil && info.IsDir() {
			made = append(made, d)
		}
	}
	return err
}

// Track records path (a file, or a directory removed with its contents) for
// RemoveAll and returns the function that forgets it again, to be called once
// the path is committed (renamed into place) or removed. Calling the returned
// function twice is harmless.
func Track(path string) (forget func()) {
	return add(func(id uint64) { paths[id] = path }, func(id uint64) { delete(paths, id) })
}

// TrackProcess records a started child process for RemoveAll, which kills it
// (SIGKILL) and waits for it to be reaped before removing any path: a child
// still writing into a tracked directory would otherwise recreate files after
// the removal. The returned function forgets the process, to be called once it
// has been waited for; calling it twice is harmless. Someone else must still
// Wait for the process (as exec.Cmd.Wait does): RemoveAll only watches for that.
func TrackProcess(p *os.Process) (forget func()) {
	return add(func(id uint64) { processes[id] = p }, func(id uint64) { delete(processes, id) })
}

func add(record, drop func(id uint64)) (forget func()) {
	mu.Lock()
	defer mu.Unlock()
	next++
	id := next
	record(id)
	return func() {
		mu.Lock()
		defer mu.Unlock()
		drop(id)
	}
}

// RemoveAll kills every tracked process, waits (at most processGoneWait) for
// each to be reaped, then removes every tracked path still recorded and every
// directory MkdirAll created that is now empty, children first, and forgets
// them all. It is meant for the moment before a hard exit; errors are
// ignored, since there is no one left to report them to.
func RemoveAll() {
	mu.Lock()
	defer mu.Unlock()
	for _, p := range processes {
		_ = p.Kill()
	}
	deadline := time.Now().Add(processGoneWait)
	for id, p := range processes {
		// Signal reports os.ErrProcessDone once the process's Wait has
		// returned: only then can it no longer write.
		for !errors.Is(p.Signal(syscall.Signal(0)), os.ErrProcessDone) && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		delete(processes, id)
	}
	for id, path := range paths {
		_ = os.RemoveAll(path)
		delete(paths, id)
	}
	for _, d := range slices.Backward(made) {
		_ = os.Remove(d) // fails, as meant, on a directory holding anything
	}
	made = nil
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
