package result

import (
	"strings"
	"testing"
)

func TestShortOfCoresNeedsTheRunQueueToAccountForTheShortfall(t *testing.T) {
	for _, tc := range []struct {
		name               string
		effective, waiting float64
		procs              int
		want               bool
	}{
		{"another process held 0.9 of 2 cores", 1.1, 0.9, 2, true},
		{"the target blocked: idle cores, nobody waiting", 1.1, 0.1, 2, false},
		{"at 0.8 of GOMAXPROCS the run is not short", 1.6, 0.4, 2, false},
		{"just below it, with the wait to show for it", 1.59, 0.3, 2, true},
		{"the wait not measured never counts", 0.5, -1, 2, false},
		{"no GOMAXPROCS known", 0.5, 1, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ShortOfCores(tc.effective, tc.waiting, tc.procs); got != tc.want {
				t.Errorf("ShortOfCores(%v, %v, %d) = %v, want %v", tc.effective, tc.waiting, tc.procs, got, tc.want)
			}
		})
	}
}

func TestCoresShortfallReadsTheRuntimeExtrasOfAClosedLoop(t *testing.T) {
	r := &Result{Params: Params{Model: "closed", GOMAXPROCS: 2}, Extras: map[string]map[string]any{
		RuntimeExtrasKey: {"effective_cores": 1.1, "run_queue_wait_ns": 0.9e9, "wall_ns": 1e9},
	}}
	if got := r.CoresShortfall(); !strings.HasPrefix(got, "ran on 1.1 of 2 cores: another process held them") || !strings.Contains(got, "0.9 cores") {
		t.Errorf("CoresShortfall() = %q", got)
	}
	eff, rq, procs, ok := r.Cores()
	if !ok || eff != 1.1 || rq != 0.9 || procs != 2 {
		t.Errorf("Cores() = %v, %v, %d, %v", eff, rq, procs, ok)
	}
	r.Params.Model, r.Params.Rate = "open", 100
	if got := r.CoresShortfall(); got != "" {
		t.Errorf("an open loop, idle between arrivals by design, is flagged: %q", got)
	}
	if _, _, _, ok := (&Result{}).Cores(); ok {
		t.Error("a result without runtime extras reports effective cores")
	}
}
