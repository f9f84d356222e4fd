package result

import (
	"slices"
	"sync"
)

// builtinFamilies are the families of schema v1 written by loadgen's own
// implementations (impls.Family*): the ones a result's readers (reports,
// comparisons) know the semantics of.
var builtinFamilies = []string{
	"harness", "locks", "semaphores", "limiters", "filelocks", "redis",
	"breakers", "adaptive", "pools", "coalescing", "queues", "snapshots",
}

var (
	familiesMu sync.RWMutex
	registered = map[string]bool{}
)

// RegisterFamily makes name a known family beside the built-in ones, so that
// results of it validate: impls.Register calls it for every implementation,
// a program's own among them. Safe for concurrent use; registering a name
// twice is harmless.
func RegisterFamily(name string) {
	familiesMu.Lock()
	defer familiesMu.Unlock()
	registered[name] = true
}

// KnownFamily reports whether name is a built-in or registered family.
func KnownFamily(name string) bool {
	if slices.Contains(builtinFamilies, name) {
		return true
	}
	familiesMu.RLock()
	defer familiesMu.RUnlock()
	return registered[name]
}

// KnownFamilies returns the built-in families, then the registered ones
// sorted, each once.
func KnownFamilies() []string {
	out := slices.Clone(builtinFamilies)
	familiesMu.RLock()
	var extra []string
	for name := range registered {
		if !slices.Contains(builtinFamilies, name) {
			extra = append(extra, name)
		}
	}
	familiesMu.RUnlock()
	slices.Sort(extra)
	return append(out, extra...)
}
