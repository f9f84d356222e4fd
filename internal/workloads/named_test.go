package workloads

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestNamedWorkloads(t *testing.T) {
	required := map[string]func(NamedWorkload) bool{
		"read-heavy":          func(w NamedWorkload) bool { return *w.ReadRatio == 0.9 },
		"write-heavy":         func(w NamedWorkload) bool { return *w.ReadRatio == 0.1 },
		"balanced":            func(w NamedWorkload) bool { return *w.ReadRatio == 0.5 },
		"contended":           func(w NamedWorkload) bool { return *w.Keys == 1 && *w.ReadRatio == 0 },
		"spread":              func(w NamedWorkload) bool { return *w.Keys >= 1024 && *w.Zipf > 1 },
		"bursty":              func(w NamedWorkload) bool { return w.Arrival == ArrivalBurst },
		"ramp-up":             func(w NamedWorkload) bool { return w.Arrival == ArrivalRamp },
		"poisson":             func(w NamedWorkload) bool { return w.Arrival == ArrivalPoisson },
		"map-reads-100":       func(w NamedWorkload) bool { return *w.Mix == Mix{Load: 100} && *w.Keys == 1000 },
		"map-reads-99":        func(w NamedWorkload) bool { return *w.Mix == Mix{99, 0.5, 0.5} && *w.Keys == 1000 },
		"map-reads-90":        func(w NamedWorkload) bool { return *w.Mix == Mix{90, 5, 5} && *w.Keys == 1000 },
		"map-reads-75":        func(w NamedWorkload) bool { return *w.Mix == Mix{75, 12.5, 12.5} && *w.Keys == 1000 },
		"queue-idle":          func(w NamedWorkload) bool { return w.Arrival == ArrivalConstant && *w.Rate == 10 },
		"queue-burst":         func(w NamedWorkload) bool { return w.Arrival == ArrivalBurst && w.Shape.BurstOn > 0 },
		"queue-slow-consumer": func(w NamedWorkload) bool { return w.Rate == nil && *w.Work > 0 },
		"snapshot-read":       func(w NamedWorkload) bool { return *w.Mix == Mix{Load: 100} && *w.Keys == 64 },
		"snapshot-reload":     func(w NamedWorkload) bool { return *w.Mix == Mix{Load: 99, Store: 1} && *w.Keys == 64 },
		"pool-io":             func(w NamedWorkload) bool { return *w.Hold > 0 && *w.Work > 0 },
		"herd":                func(w NamedWorkload) bool { return *w.Keys == 1 && *w.Hold >= time.Millisecond },
		"herd-zipf":           func(w NamedWorkload) bool { return *w.Keys == 64 && *w.Zipf > 1 && *w.Hold >= time.Millisecond },
	}
	for name, check := range required {
		t.Run(name+" exists with its defining setting", func(t *testing.T) {
			w, ok := LookupWorkload(name)
			if !ok {
				t.Fatal("not found")
			}
			if !check(w) {
				t.Errorf("%+v lacks its defining setting", w)
			}
		})
	}
	all := NamedWorkloads()
	t.Run("the list is sorted and every entry has a summary", func(t *testing.T) {
		if !slices.IsSortedFunc(all, func(a, b NamedWorkload) int { return strings.Compare(a.Name, b.Name) }) {
			t.Error("not sorted by name")
		}
		for _, w := range all {
			if w.Summary == "" {
				t.Errorf("%s has no summary", w.Name)
			}
		}
	})
	t.Run("every preset mix is valid", func(t *testing.T) {
		for _, w := range all {
			if w.Mix != nil {
				if err := w.Mix.Validate(); err != nil {
					t.Errorf("%s: %v", w.Name, err)
				}
			}
		}
	})
	t.Run("every open-loop preset builds a valid schedule", func(t *testing.T) {
		for _, w := range all {
			if w.Arrival == "" {
				continue
			}
			p := w.ApplyArrival(ArrivalParams{Duration: time.Second}, func(string) bool { return false })
			if _, err := ParseArrival(w.Arrival, p); err != nil {
				t.Errorf("%s: %v", w.Name, err)
			}
		}
	})
	t.Run("a misspelled name gets a suggestion", func(t *testing.T) {
		if got := SuggestWorkload("read-hevy"); got != "read-heavy" {
			t.Errorf("SuggestWorkload = %q", got)
		}
		if _, ok := LookupWorkload("read-hevy"); ok {
			t.Error("lookup accepted a misspelling")
		}
	})
}

func TestApplyArrival(t *testing.T) {
	w, _ := LookupWorkload("bursty")
	t.Run("fills in what the flags did not set", func(t *testing.T) {
		p := w.ApplyArrival(ArrivalParams{Seed: 3}, func(string) bool { return false })
		if p.Rate != 10000 || p.BurstOn != 100*time.Millisecond || p.BurstOff != 400*time.Millisecond || p.Seed != 3 {
			t.Errorf("got %+v", p)
		}
	})
	t.Run("explicit flags win", func(t *testing.T) {
		changed := func(f string) bool { return f == "rps" || f == "burst-off" }
		p := w.ApplyArrival(ArrivalParams{Rate: 50, BurstOff: time.Second}, changed)
		if p.Rate != 50 || p.BurstOff != time.Second || p.BurstOn != 100*time.Millisecond {
			t.Errorf("got %+v", p)
		}
	})
}

func TestNewKeyChooser(t *testing.T) {
	const keys, n = 64, 64000
	histogram := func(next func() uint64) []int {
		h := make([]int, keys)
		for range n {
			k := next()
			if k >= keys {
				t.Fatalf("key %d out of [0, %d)", k, keys)
			}
			h[k]++
		}
		return h
	}
	t.Run("uniform spreads keys evenly", func(t *testing.T) {
		h := histogram(NewKeyChooser(keys, 0, 1))
		for k, c := range h {
			if c < 800 || c > 1200 { // mean 1000, σ ≈ 31
				t.Errorf("key %d drawn %d times, want ≈1000", k, c)
			}
		}
	})
	t.Run("zipf makes key 0 the hottest by far", func(t *testing.T) {
		h := histogram(NewKeyChooser(keys, 1.1, 1))
		if h[0] < 5*h[keys-1] || h[0] < h[1] {
			t.Errorf("key 0 drawn %d times, key 1 %d, last key %d", h[0], h[1], h[keys-1])
		}
	})
	t.Run("s of at most 1 falls back to uniform", func(t *testing.T) {
		h := histogram(NewKeyChooser(keys, 1, 1))
		if h[0] > 1200 {
			t.Errorf("key 0 drawn %d times, want ≈1000", h[0])
		}
	})
	t.Run("one key is always key 0", func(t *testing.T) {
		next := NewKeyChooser(1, 1.5, 1)
		for range 10 {
			if k := next(); k != 0 {
				t.Fatalf("key %d", k)
			}
		}
	})
	t.Run("the same seed draws the same keys", func(t *testing.T) {
		a, b := NewKeyChooser(keys, 1.2, 9), NewKeyChooser(keys, 1.2, 9)
		for range 100 {
			if a() != b() {
				t.Fatal("draws differ")
			}
		}
	})
}
