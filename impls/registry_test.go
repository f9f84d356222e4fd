package impls

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

func init() {
	newFake := func(Config) (Target, error) { return noop{}, nil }
	Register(Impl{Name: "fake-mutex", Family: "fakes", Summary: "a fake", New: newFake})
	Register(Impl{Name: "fake-rwmutex", Family: "fakes", Summary: "a fake", New: newFake})
}

func names(list []Impl) []string {
	var out []string
	for _, impl := range list {
		out = append(out, impl.Name)
	}
	return out
}

func TestResolveExpandsNamesFamiliesAndAll(t *testing.T) {
	tests := []struct {
		spec string
		want []string
	}{
		{"fake-mutex", []string{"fake-mutex"}},
		{" fake-rwmutex , FAKE-MUTEX ", []string{"fake-rwmutex", "fake-mutex"}},
		{"fakes", []string{"fake-mutex", "fake-rwmutex"}},
		{"fake-rwmutex,fakes", []string{"fake-rwmutex", "fake-mutex"}},
		{"all", []string{"fake-mutex", "fake-rwmutex"}},
		{"noop", []string{"noop"}},
	}
	for _, tc := range tests {
		t.Run(tc.spec+" resolves in order without duplicates", func(t *testing.T) {
			got, err := Resolve(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(names(got), tc.want) {
				t.Fatalf("Resolve(%q) = %v, want %v", tc.spec, names(got), tc.want)
			}
		})
	}
}

func TestResolveRefusesUnknownNamesWithASuggestion(t *testing.T) {
	_, err := Resolve("fake-mutx")
	var unknown *UnknownImplError
	if !errors.As(err, &unknown) {
		t.Fatalf("err = %v, want *UnknownImplError", err)
	}
	if len(unknown.Suggestions) == 0 || unknown.Suggestions[0] != "fake-mutex" {
		t.Fatalf("suggestions = %v, want fake-mutex first", unknown.Suggestions)
	}
	if _, err := Resolve(" , "); err == nil {
		t.Fatal("an empty list resolved to something")
	}
	for _, spec := range []string{"fake-mutex,,fake-rwmutex", "fake-mutex,", ",fake-mutex", "fake-mutex, ,fakes"} {
		if got, err := Resolve(spec); err == nil || !strings.Contains(err.Error(), "has an empty name") {
			t.Errorf("Resolve(%q) = %v, %v; want an empty name refused", spec, names(got), err)
		}
	}
}

func TestRegisterPanicsOnDuplicatesAndIncompleteEntries(t *testing.T) {
	for name, impl := range map[string]Impl{
		"a duplicate name": {Name: "fake-mutex", Family: "fakes", New: func(Config) (Target, error) { return noop{}, nil }},
		"no constructor":   {Name: "fake-x", Family: "fakes"},
		"no family":        {Name: "fake-y", New: func(Config) (Target, error) { return noop{}, nil }},
	} {
		t.Run(name+" panics", func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("Register accepted it")
				}
			}()
			Register(impl)
		})
	}
}

func TestOpUnitsTreatsZeroAsOne(t *testing.T) {
	if (Op{}).Units() != 1 || (Op{Weight: -3}).Units() != 1 || (Op{Weight: 8}).Units() != 8 {
		t.Fatal("Units must be the weight, or 1 when it is not positive")
	}
}

func TestEveryBuiltInFamilyIsOneResultFilesMayName(t *testing.T) {
	for _, family := range []string{FamilyHarness, FamilyLocks, FamilySemaphores, FamilyLimiters, FamilyFileLocks, FamilyRedis,
		FamilyBreakers, FamilyAdaptive, FamilyPools, FamilyCoalescing, FamilyQueues, FamilySnapshots} {
		if !result.KnownFamily(family) {
			t.Errorf("family %q is not known to package result: its results would be refused", family)
		}
	}
}
