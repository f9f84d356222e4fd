package reports

import (
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/syncbench/syncbench/result"
	"golang.org/x/perf/benchfmt"
)

// benchUnits are the units WriteBenchfmt emits, in line order, with the direction
// that is an improvement.
var benchUnits = []struct {
	unit, better string
}{
	{"ns/op", "lower"},
	{"ops/s", "higher"},
	{"p50-ns", "lower"},
	{"p90-ns", "lower"},
	{"p99-ns", "lower"},
	{"p999-ns", "lower"},
	{"max-ns", "lower"},
}

// BenchName returns the Go benchmark name of r (without the "Benchmark" prefix):
// "Loadgen/impl=<impl>/workload=<w>/conc=<c>/rps=<rate>", then the family
// parameters in key order (GOMAXPROCS is the line's "-N" suffix), so that repetitions
// of a cell share a name and benchstat groups them into one sample. Characters
// the format forbids in names (spaces) are replaced by '_'.
func BenchName(r *result.Result) string {
	var b strings.Builder
	b.WriteString("Loadgen/impl=" + r.Impl)
	if r.Workload != "" {
		b.WriteString("/workload=" + r.Workload)
	}
	b.WriteString("/conc=" + strconv.Itoa(r.Params.Concurrency))
	b.WriteString("/rps=" + formatFloat(r.Params.Rate))
	for _, kv := range sortedFamilyParams(r.Params.Family) {
		b.WriteString("/" + kv)
	}
	return strings.Map(func(c rune) rune {
		if c == ' ' || c == '\t' || c == '\n' {
			return '_'
		}
		return c
	}, b.String())
}

// WriteBenchfmt writes results in the Go benchmark format with benchfmt.Writer:
// the Unit metadata lines first, then one line per result (see the package
// documentation for names and values). Open-loop results carry no ns/op (it
// would be the schedule's 1/rate), and a result with no completed ops has no
// per-op time: each is written with only the units it has.
func WriteBenchfmt(w io.Writer, results []*result.Result) error {
	bw := benchfmt.NewWriter(w)
	allUnits := append([]struct{ unit, better string }(nil), benchUnits...)
	for _, g := range csvSplitGroups {
		allUnits = append(allUnits, struct{ unit, better string }{splitBenchUnit(g), "lower"})
	}
	for _, u := range allUnits {
		md := &benchfmt.UnitMetadata{UnitMetadataKey: benchfmt.UnitMetadataKey{Unit: u.unit, Key: "better"}, OrigUnit: u.unit, Value: u.better}
		if err := bw.Write(md); err != nil {
			return err
		}
	}
	for _, r := range results {
		res := &benchfmt.Result{
			Config: []benchfmt.Config{
				{Key: "goos", Value: []byte(r.Env.GOOS), File: true},
				{Key: "goarch", Value: []byte(r.Env.GOARCH), File: true},
				{Key: "cpu", Value: []byte(oneLine(r.Env.CPUModel)), File: true},
				{Key: "pkg", Value: []byte("github.com/syncbench/syncbench/cmd/loadgen"), File: true},
			},
			Iters: int(r.Counts.Completed),
		}
		if r.Env.Commit != "" {
			res.Config = append(res.Config, benchfmt.Config{Key: "commit", Value: []byte(r.Env.Commit), File: true})
		}
		name := BenchName(r)
		if procs := r.Env.GOMAXPROCS; procs > 1 {
			name += "-" + strconv.Itoa(procs) // go test's GOMAXPROCS suffix
		}
		res.Name = benchfmt.Name(name)
		if res.Iters < 1 {
			res.Iters = 1 // the format requires a positive count
		}
		// An open loop's duration/completed is the schedule's gap between
		// arrivals (1/offered rate) whatever the target does: it would only add
		// a metric that never moves to the comparison's correction. Closed loops
		// keep it: there it is the target's throughput-derived cost.
		if r.Counts.Completed > 0 && r.DurationNs > 0 && !r.OpenLoop() {
			res.Values = append(res.Values, benchfmt.Value{Value: float64(r.DurationNs) / float64(r.Counts.Completed), Unit: "ns/op"})
		}
		res.Values = append(res.Values, benchfmt.Value{Value: r.Rates.Achieved, Unit: "ops/s"})
		if r.Counts.Completed > 0 {
			l := r.Latency.Response
			for _, v := range []struct {
				v    int64
				unit string
			}{{l.P50, "p50-ns"}, {l.P90, "p90-ns"}, {l.P99, "p99-ns"}, {l.P999, "p999-ns"}, {l.Max, "max-ns"}} {
				res.Values = append(res.Values, benchfmt.Value{Value: float64(v.v), Unit: v.unit})
			}
		}
		// The split groups' p99 (write-p99-ns, denied-p99-ns, ...): the figure
		// an RWMutex's writers or a limiter's admitted ops are judged by.
		for _, name := range r.SplitNames() {
			if l, ok := r.SplitLatency(name); ok {
				res.Values = append(res.Values, benchfmt.Value{Value: float64(l.Response.P99), Unit: splitBenchUnit(name)})
			}
		}
		if err := bw.Write(res); err != nil {
			return err
		}
	}
	return nil
}

// splitBenchUnit is the benchfmt unit of a split group's response p99 in ns.
func splitBenchUnit(group string) string { return group + "-p99-ns" }

// oneLine replaces line breaks, which would end a configuration line early.
func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\r", " ")
	return strings.ReplaceAll(s, "\n", " ")
}

// sortedFamilyParams returns the family parameters as "key=value" in key order.
func sortedFamilyParams(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}
