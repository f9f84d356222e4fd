package limiters

import (
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// fakeClock is the only fake the tests use: time moves when the test says so.
type fakeClock struct{ ns atomic.Int64 }

// fakeStart is an arbitrary instant far from zero, so nothing depends on the epoch.
const fakeStart = int64(1_700_000_000) * int64(time.Second)

func newFakeClock() *fakeClock {
	c := &fakeClock{}
	c.ns.Store(fakeStart)
	return c
}

func (c *fakeClock) Now() time.Time       { return time.Unix(0, c.ns.Load()) }
func (c *fakeClock) advance(d int64)      { c.ns.Add(d) }
func (c *fakeClock) offset() int64        { return c.ns.Load() - fakeStart }
func (c *fakeClock) config() impls.Config { return impls.Config{Now: c.Now} }

// algorithm returns the registered builder called name.
func algorithm(t testing.TB, name string) builder {
	t.Helper()
	for _, a := range algorithms {
		if a.name == name {
			return a.build
		}
	}
	t.Fatalf("no algorithm %q", name)
	return nil
}

// newLimiter builds algorithm name from cfg (cfg.Now should be a fake clock's).
func newLimiter(t testing.TB, name string, cfg impls.Config) (Limiter, settings) {
	t.Helper()
	s, err := parseConfig(cfg)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	lim, err := algorithm(t, name)(s, cfg.Now)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return lim, s
}

// admission is n events admitted at ns since the limiter's construction.
type admission struct{ at, n int64 }

// saturate offers demand that never lets up: every step ns the clock advances and
// events are asked for one at a time until the limiter refuses (at most max per
// step). It returns every admission.
func saturate(lim Limiter, clk *fakeClock, steps int, step int64, max int) []admission {
	var out []admission
	for range steps {
		for range max {
			if !lim.AllowN(1) {
				break
			}
			out = append(out, admission{clk.offset(), 1})
		}
		clk.advance(step)
	}
	return out
}

func total(adm []admission) int64 {
	var n int64
	for _, a := range adm {
		n += a.n
	}
	return n
}

// rateEnvelopeViolation returns a description of the first pair of admissions i ≤ j
// for which the events admitted at instants a_i..a_j exceed ⌊burst + (a_j−a_i)/T⌋,
// or "". Linear: with S_j the running sum, the bound reads
// S_j·T − a_j ≤ burst·T + (S_{i−1}·T − a_i), so it keeps the minimum of the right
// side's last term.
func rateEnvelopeViolation(adm []admission, burst, interval int64) (string, bool) {
	var sum int64
	best := int64(1<<62 - 1) // min over i ≤ j of S_{i−1}·T − a_i
	bestAt := 0
	for j, a := range adm {
		if v := sum*interval - a.at; v < best {
			best, bestAt = v, j
		}
		sum += a.n
		if sum*interval-a.at > burst*interval+best {
			return describe(adm, bestAt, j), true
		}
	}
	return "", false
}

// slidingViolation reports a window (a_j − window, a_j] holding more than limit
// events, the sliding log's promise.
func slidingViolation(adm []admission, window, limit int64) (string, bool) {
	var in int64
	i := 0
	for j, a := range adm {
		in += a.n
		for adm[i].at <= a.at-window {
			in -= adm[i].n
			i++
		}
		if in > limit {
			return describe(adm, i, j), true
		}
	}
	return "", false
}

// alignedViolation reports an aligned window [k·window, (k+1)·window) holding more
// than limit events.
func alignedViolation(adm []admission, window, limit int64) (string, bool) {
	counts := map[int64]int64{}
	for _, a := range adm {
		counts[a.at/window] += a.n
		if counts[a.at/window] > limit {
			return "aligned window " + time.Duration(a.at/window*window).String() + " holds more than the limit", true
		}
	}
	return "", false
}

func describe(adm []admission, i, j int) string {
	return time.Duration(adm[i].at).String() + ".." + time.Duration(adm[j].at).String() +
		" holds " + itoa(total(adm[i:j+1])) + " events"
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
