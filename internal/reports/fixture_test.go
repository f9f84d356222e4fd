package reports

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/result"
)

// fixture describes a synthetic run; makeResult records it through a real
// metrics.Recorder so the result has genuine histograms and passes Validate.
type fixture struct {
	impl, family string
	conc         int
	procs        int
	rate         float64 // open-loop offered rate; 0 = closed loop
	rep          int
	seed         uint64
	ops          int     // ops per interval
	intervals    int     // series length (1 s each); 0 means 1
	baseNs       float64 // median-ish latency
	denyEvery    int     // every n-th op is denied (0 = never)
	limit        string  // Params.Family["limit"], for limiters
	extras       map[string]map[string]any
	stats        map[string]float64
	lagShare     float64 // share of each response that is lag, open loops (0 means 0.1)
	mode         string  // Params.Family["mode"], when set
	writeEvery   int     // every n-th op is a write (0 = all reads)
	unfinished   int64   // ops cut off unfinished at the end, each waiting unfinishedNs
	unfinishedNs int64
	fork         int     // Result.Fork; with pid, the process that ran it
	pid          int     // Env.PID (0: not recorded, as in older files)
	roundTripNs  float64 // Env.Machine's cache-line round trip (0: not measured)
}

// makeResult builds a result: latencies are baseNs times a heavy-tailed factor
// (log-normal), so spectra and percentiles look like real ones.
func makeResult(tb testing.TB, f fixture) *result.Result {
	tb.Helper()
	if f.intervals == 0 {
		f.intervals = 1
	}
	if f.family == "" {
		f.family = "locks"
	}
	rng := rand.New(rand.NewPCG(f.seed, uint64(f.rep)))
	rec := metrics.NewRecorder(1)
	var series []result.Interval
	var t int64
	for i := 0; i < f.intervals; i++ {
		for n := 0; n < f.ops; n++ {
			lat := int64(f.baseNs * math.Exp(rng.NormFloat64()*0.5))
			o := impls.OK
			if f.denyEvery > 0 && n%f.denyEvery == 0 {
				o = impls.Denied
			}
			kind := impls.OpRead
			if f.writeEvery > 0 && n%f.writeEvery == 0 {
				kind = impls.OpWrite
			}
			if f.rate > 0 {
				share := f.lagShare
				if share == 0 {
					share = 0.1
				}
				rec.RecordOp(0, kind, o, t, t+int64(float64(lat)*share), t+lat, metrics.Counted|metrics.Timed|metrics.WithLag)
			} else { // a closed loop starts each op when it intends to: no lag
				rec.RecordOp(0, kind, o, t, t, t+lat, metrics.Counted|metrics.Timed)
			}
			t += 1000
		}
		if i == f.intervals-1 { // cut off at the end of the last interval
			rec.RecordUnfinished(0, impls.OpRead, f.unfinishedNs, f.unfinished, true)
		}
		s := rec.Collect()
		iv := result.Interval{
			OffsetNs: int64(i) * int64(time.Second), DurationNs: int64(time.Second),
			Offered: float64(f.ops), Achieved: float64(s.Completed()), Admitted: float64(s.Counts[impls.OK]),
			OK: s.Counts[impls.OK], Denied: s.Counts[impls.Denied], Timeout: s.Counts[impls.Timeout], Error: s.Counts[impls.Error],
		}
		if s.Completed() > 0 {
			iv.ResponseP50 = s.Response.ValueAtQuantile(50)
			iv.ResponseP99 = s.Response.ValueAtQuantile(99)
			iv.ResponseMax = s.Response.Max()
		}
		series = append(series, iv)
	}
	tot := rec.Totals()
	resp, err := result.EncodeHistogram(tot.Response)
	if err != nil {
		tb.Fatal(err)
	}
	svc, _ := result.EncodeHistogram(tot.Service)
	lag, _ := result.EncodeHistogram(tot.Lag)
	dur := int64(f.intervals) * int64(time.Second)
	completed := tot.Completed()
	model := "closed"
	if f.rate > 0 {
		model = "open"
	}
	r := &result.Result{
		Schema: result.Schema, Impl: f.impl, Family: f.family, Workload: "mixed",
		Command: "loadgen -impl " + f.impl,
		Params: result.Params{Model: model, Rate: f.rate, Concurrency: f.conc, GOMAXPROCS: f.procs,
			DurationNs: dur, Seed: int64(f.seed)},
		Env: result.Environment{GoVersion: "go1.26.8", GOOS: "linux", GOARCH: "amd64", CPUModel: "Test CPU @ 3GHz",
			NumCPU: 2, GOMAXPROCS: 2, Commit: "abc1234", Hostname: "host", PID: f.pid},
		Start:      time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Add(time.Duration(f.rep) * time.Minute),
		DurationNs: dur,
		Repetition: f.rep,
		Fork:       f.fork,
		Counts: result.Counts{Offered: completed + tot.Unfinished, Completed: completed, OK: tot.Counts[impls.OK],
			Denied: tot.Counts[impls.Denied], Timeout: tot.Counts[impls.Timeout], Error: tot.Counts[impls.Error], Unfinished: tot.Unfinished},
		Saturated: tot.Unfinished > 0,
		Rates: result.Rates{Offered: float64(completed) / float64(dur) * 1e9, Achieved: float64(completed) / float64(dur) * 1e9,
			Admitted: float64(tot.Counts[impls.OK]) / float64(dur) * 1e9},
		Latency:   result.Latencies{Response: result.Summarize(tot.Response), Service: result.Summarize(tot.Service), Lag: result.SummarizePtr(tot.Lag)},
		Histogram: result.Histograms{Response: resp, Service: svc, Lag: lag},
		Series:    series,
		Floor:     result.Floor{NsPerOp: 60, ResponseP50: 70, Method: "noop closed loop, 1 worker"},
		Extras:    f.extras,
		ImplStats: f.stats,
	}
	r.Latency.Response.LowerBound = tot.Response.TotalCount() > tot.Service.TotalCount()
	if model == "closed" {
		r.Latency.Lag, r.Histogram.Lag = nil, ""
	}
	for _, g := range tot.Groups {
		sp := result.Split{Kind: g.Kind, Outcome: g.Outcome, Count: g.Count}
		sp.Latency = result.Latencies{Response: result.Summarize(g.Response), Service: result.Summarize(g.Service)}
		sp.Latency.Response.LowerBound = g.Outcome == "unfinished" || g.Response.TotalCount() > g.Service.TotalCount()
		sp.Histogram.Response, _ = result.EncodeHistogram(g.Response)
		sp.Histogram.Service, _ = result.EncodeHistogram(g.Service)
		r.Split = append(r.Split, sp)
	}
	if f.limit != "" || f.mode != "" {
		r.Params.Family = map[string]string{}
	}
	if f.limit != "" {
		r.Params.Family["limit"] = f.limit
	}
	if f.mode != "" {
		r.Params.Family["mode"] = f.mode
	}
	if f.roundTripNs > 0 {
		r.Env.Machine = &result.MachineMode{CacheLineRoundTripNs: f.roundTripNs, Method: "test"}
	}
	if f.fork > 0 {
		r.Start = r.Start.Add(time.Duration(f.fork) * time.Hour)
	}
	if err := r.Validate(); err != nil {
		tb.Fatalf("fixture does not validate: %v", err)
	}
	return r
}

// forked returns one result per fork for each fixture: fork k (1-based) of
// every fixture ran in process 1000+k, so the cells of a fork are paired as
// a real forked run's are. vary(i, k, &f) shapes fixture i's fork k (its ops,
// latency, machine mode).
func forked(tb testing.TB, forks int, fs []fixture, vary func(i, fork int, f *fixture)) []*result.Result {
	tb.Helper()
	var out []*result.Result
	for k := 1; k <= forks; k++ {
		for i, f := range fs {
			g := f
			g.fork, g.pid = k, 1000+k
			g.seed = f.seed + uint64(k)*7919
			if vary != nil {
				vary(i, k, &g)
			}
			out = append(out, makeResult(tb, g))
		}
	}
	return out
}

// makeCell returns reps repetitions of one configuration.
func makeCell(tb testing.TB, f fixture, reps int) []*result.Result {
	var out []*result.Result
	for i := 1; i <= reps; i++ {
		g := f
		g.rep = i
		g.seed = f.seed + uint64(i)*7919
		out = append(out, makeResult(tb, g))
	}
	return out
}
