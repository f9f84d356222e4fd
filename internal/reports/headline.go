package reports

import (
	"math"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// Headline is one of the figures every table, verdict and export gives with
// its between-run interval: what a reader compares implementations by.
type Headline struct {
	// Name is the figure's name in exports (cells.csv, cells.json):
	// "achieved_rate", "response_p99_ns", ...
	Name string
	// Get reads the figure from one result; NaN when the result has none
	// (a closed loop's lag, CPU/op of a file without runtime telemetry).
	Get func(*result.Result) float64
	// Format prints a value of it.
	Format func(float64) string
}

// cpuPerOp is the target's CPU per op in ns (runtime telemetry), NaN when the
// result has none.
func cpuPerOp(r *result.Result) float64 {
	if v, ok := extraNumber(r, result.RuntimeExtrasKey, "cpu_ns_per_op"); ok {
		return v
	}
	return math.NaN()
}

// admitted is the rate of OK ops (a limiter's admissions).
func admitted(r *result.Result) float64 { return r.Rates.Admitted }

// HeadlineFigures are the figures the exports give per cell, in order.
var HeadlineFigures = []Headline{
	{"achieved_rate", achieved, formatRate},
	{"admitted_rate", admitted, formatRate},
	{"response_p50_ns", func(r *result.Result) float64 { return float64(r.Latency.Response.P50) }, formatNs},
	{"response_p90_ns", func(r *result.Result) float64 { return float64(r.Latency.Response.P90) }, formatNs},
	{"response_p99_ns", func(r *result.Result) float64 { return float64(r.Latency.Response.P99) }, formatNs},
	{"response_p999_ns", func(r *result.Result) float64 { return float64(r.Latency.Response.P999) }, formatNs},
	{"service_p99_ns", func(r *result.Result) float64 { return float64(r.Latency.Service.P99) }, formatNs},
	{"lag_p99_ns", func(r *result.Result) float64 {
		if l, ok := r.Lag(); ok {
			return float64(l.P99)
		}
		return math.NaN()
	}, formatNs},
	{"cpu_ns_per_op", cpuPerOp, formatNs},
	{"effective_cores", effectiveCores, func(v float64) string { return units.Plain(v) }},
}

// effectiveCores is the process's CPU time over the window's wall time, NaN
// when the result does not record it.
func effectiveCores(r *result.Result) float64 {
	if eff, _, _, ok := r.Cores(); ok {
		return eff
	}
	return math.NaN()
}

// HeadlineFigure returns the headline figure called name (one of
// HeadlineFigures); it panics on another name, a programming error.
func HeadlineFigure(name string) Headline {
	for _, h := range HeadlineFigures {
		if h.Name == name {
			return h
		}
	}
	panic("reports: no headline figure " + name)
}
