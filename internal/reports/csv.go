package reports

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/syncbench/syncbench/result"
)

// csvHeader is the first row WriteCSV writes; doc.go lists the columns' meaning.
var csvHeader = func() []string {
	h := []string{"impl", "family", "workload", "model", "arrival", "rate", "concurrency", "gomaxprocs",
		"read_ratio", "work_ns", "think_ns", "keys", "seed", "repetition", "start", "duration_ns",
		"interrupted", "pacer_limited", "offered", "completed", "ok", "denied", "timeout", "error",
		"offered_rate", "achieved_rate", "admitted_rate"}
	for _, l := range []string{"response", "service", "lag"} {
		for _, s := range []string{"p50_ns", "p90_ns", "p99_ns", "p999_ns", "p9999_ns", "max_ns", "mean_ns"} {
			h = append(h, l+"_"+s)
		}
	}
	h = append(h, "floor_ns_per_op", "unfinished", "saturated", "response_lower_bound")
	for _, g := range csvSplitGroups {
		h = append(h, g+"_count", g+"_p50_ns", g+"_p99_ns")
	}
	return append(h, "fork", "forks", "pid", "machine_round_trip_ns", "effective_cores")
}()

// csvSplitGroups are the split groups CSV rows carry columns for: every op kind
// and outcome a result can hold. A result without a group leaves its fields empty.
var csvSplitGroups = []string{"read", "write", "delete", "acquire", "allow", "ok", "denied", "timeout", "error", "unfinished"}

// WriteCSV writes results as CSV (RFC 4180) to w: a header row, then one row per
// result in the order given. Columns are listed in the package documentation.
func WriteCSV(w io.Writer, results []*result.Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	i := strconv.FormatInt
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) } // never an exponent
	b := strconv.FormatBool
	for _, r := range results {
		p := r.Params
		row := []string{r.Impl, r.Family, r.Workload, p.Model, p.Arrival, f(p.Rate), strconv.Itoa(p.Concurrency),
			strconv.Itoa(p.GOMAXPROCS), f(p.ReadRatio), i(p.WorkNs, 10), i(p.ThinkNs, 10), strconv.Itoa(p.Keys),
			i(p.Seed, 10), strconv.Itoa(r.Repetition), r.Start.UTC().Format(time.RFC3339Nano), i(r.DurationNs, 10),
			b(r.Interrupted), b(r.PacerLimited), i(r.Counts.Offered, 10), i(r.Counts.Completed, 10),
			i(r.Counts.OK, 10), i(r.Counts.Denied, 10), i(r.Counts.Timeout, 10), i(r.Counts.Error, 10),
			f(r.Rates.Offered), f(r.Rates.Achieved), f(r.Rates.Admitted)}
		for _, s := range []result.LatencySummary{r.Latency.Response, r.Latency.Service} {
			row = append(row, i(s.P50, 10), i(s.P90, 10), i(s.P99, 10), i(s.P999, 10), i(s.P9999, 10), i(s.Max, 10), f(s.Mean))
		}
		if s, ok := r.Lag(); ok {
			row = append(row, i(s.P50, 10), i(s.P90, 10), i(s.P99, 10), i(s.P999, 10), i(s.P9999, 10), i(s.Max, 10), f(s.Mean))
		} else { // a closed loop has no lag: empty, not zero
			row = append(row, "", "", "", "", "", "", "")
		}
		row = append(row, f(r.Floor.NsPerOp), i(r.UnfinishedOps(), 10), b(r.IsSaturated()), b(r.Latency.Response.LowerBound))
		for _, g := range csvSplitGroups {
			sp, found := r.SplitGroup(g)
			if !found {
				row = append(row, "", "", "")
				continue
			}
			row = append(row, i(sp.Count, 10), i(sp.Latency.Response.P50, 10), i(sp.Latency.Response.P99, 10))
		}
		machine := "" // not measured
		if m := r.Env.Machine; m != nil && m.CacheLineRoundTripNs > 0 {
			machine = f(m.CacheLineRoundTripNs)
		}
		cores := "" // not recorded
		if eff, _, _, ok := r.Cores(); ok {
			cores = f(eff)
		}
		row = append(row, strconv.Itoa(r.Fork), strconv.Itoa(r.Params.Forks), strconv.Itoa(r.Env.PID), machine, cores)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
