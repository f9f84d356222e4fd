package impls

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/syncbench/syncbench/internal/spelling"
	"github.com/syncbench/syncbench/result"
)

// Family names, as accepted by -impl and shown by `loadgen list`.
const (
	FamilyHarness    = "harness"
	FamilyLocks      = "locks"
	FamilySemaphores = "semaphores"
	FamilyLimiters   = "limiters"
	FamilyFileLocks  = "filelocks"
	FamilyRedis      = "redis"
	FamilyBreakers   = "breakers"
	FamilyAdaptive   = "adaptive"
	FamilyPools      = "pools"
	FamilyCoalescing = "coalescing"
	FamilyQueues     = "queues"
	FamilySnapshots  = "snapshots"
)

// Impl describes one registered implementation.
type Impl struct {
	// Name is the unique, lower-case name used by -impl (e.g. "rwmutex").
	Name string
	// Family groups implementations that answer the same question.
	Family string
	// Summary is a one-line description shown by `loadgen list`.
	Summary string
	// New builds a fresh Target for one run.
	New func(Config) (Target, error)
	// DefaultKeys is the number of keys a run spreads its ops over when neither
	// Config.Keys nor the workload sets one (both 0): the maps' 1000 filled keys,
	// so a plain run measures a map, not one hot entry. 0 means the
	// implementation has no keys or defaults to a single one.
	DefaultKeys int
	// RateLimiter marks an implementation outside the limiters family that admits
	// events at Config.Limit (the Redis-backed limiters), so the harness measures
	// its accuracy too.
	RateLimiter bool
}

// IsRateLimiter reports whether the harness should measure the implementation's
// admissions against its configured limit.
func (i Impl) IsRateLimiter() bool {
	return i.Family == FamilyLimiters || i.RateLimiter
}

var (
	registryMu sync.RWMutex
	registry   = map[string]Impl{}
)

// Register adds an implementation. It is meant to be called from init functions and
// panics on an empty or duplicate name or a nil constructor, which are programming
// errors. Its family becomes one that result files may name (result.RegisterFamily).
// Safe for concurrent use.
func Register(impl Impl) {
	if impl.Name == "" || impl.Family == "" || impl.New == nil {
		panic(fmt.Sprintf("impls: incomplete registration %+v", impl))
	}
	result.RegisterFamily(impl.Family)
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[impl.Name]; dup {
		panic("impls: duplicate registration of " + impl.Name)
	}
	registry[impl.Name] = impl
}

// All returns every registered implementation ordered by family, then name.
func All() []Impl {
	registryMu.RLock()
	defer registryMu.RUnlock()
	all := make([]Impl, 0, len(registry))
	for _, impl := range registry {
		all = append(all, impl)
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].Family != all[j].Family {
			return all[i].Family < all[j].Family
		}
		return all[i].Name < all[j].Name
	})
	return all
}

// Lookup returns the implementation registered under name.
func Lookup(name string) (Impl, bool) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	impl, ok := registry[name]
	return impl, ok
}

// Families returns the distinct family names in registration order of All.
func Families() []string {
	var families []string
	for _, impl := range All() {
		if len(families) == 0 || families[len(families)-1] != impl.Family {
			families = append(families, impl.Family)
		}
	}
	return families
}

// UnknownImplError reports a name given to Resolve that is neither an
// implementation, a family nor "all".
type UnknownImplError struct {
	Name        string
	Suggestions []string // closest known names, best first; may be empty
}

func (e *UnknownImplError) Error() string {
	msg := fmt.Sprintf("unknown implementation %q", e.Name)
	if len(e.Suggestions) > 0 {
		msg += "; did you mean " + strings.Join(e.Suggestions, " or ") + "?"
	}
	return msg + " (see `loadgen list`)"
}

// Resolve expands a comma-separated list of implementation names, family names and
// "all" into implementations, in the order given and without duplicates. "all" does
// not include the harness family (noop), which is measured separately as the floor.
// An empty element ("mutex,,rwmutex", a trailing comma) is an error, as in every
// other list loadgen reads: it is a name left out, not nothing.
func Resolve(spec string) ([]Impl, error) {
	var out []Impl
	seen := map[string]bool{}
	add := func(impl Impl) {
		if !seen[impl.Name] {
			seen[impl.Name] = true
			out = append(out, impl)
		}
	}
	for name := range strings.SplitSeq(spec, ",") {
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" && strings.Trim(spec, ", ") != "" {
			return nil, fmt.Errorf("%q has an empty name (allowed: implementation names, family names or all, comma separated, none empty; see `loadgen list`)", spec)
		}
		if name == "" {
			continue
		}
		if impl, ok := Lookup(name); ok {
			add(impl)
			continue
		}
		matched := false
		for _, impl := range All() {
			if (name == "all" && impl.Family != FamilyHarness) || impl.Family == name {
				add(impl)
				matched = true
			}
		}
		if !matched {
			return nil, &UnknownImplError{Name: name, Suggestions: suggest(name)}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no implementation named in %q (see `loadgen list`)", spec)
	}
	return out, nil
}

// suggest returns up to two known names (implementations or families) within a small
// edit distance of name.
func suggest(name string) []string {
	candidates := append(Families(), "all")
	for _, impl := range All() {
		candidates = append(candidates, impl.Name)
	}
	return spelling.Closest(name, candidates, max(2, len(name)/3), 2)
}
