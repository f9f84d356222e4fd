package reports

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/result"
)

// CellKey identifies the configuration a result measured: its Impl, Family,
// Workload and Params with Seed and Forks ignored (a different seed is another
// sample of the same configuration, not another configuration, and a fork
// count says how many samples were taken). Results with equal keys are
// repetitions of one cell.
func CellKey(r *result.Result) string {
	return r.Impl + "\x00" + configKey(r)
}

// configKey is CellKey without the implementation: results of different
// implementations with equal config keys ran under the same load and can be
// compared side by side.
func configKey(r *result.Result) string {
	p := r.Params
	p.Seed, p.Forks = 0, 0 // another sample, and another count of samples, of one configuration
	// json.Marshal sorts map keys, so equal Params give equal bytes.
	b, err := json.Marshal(p)
	if err != nil { // Params holds only plain values; cannot happen
		b = fmt.Appendf(nil, "%+v", p)
	}
	return r.Family + "\x00" + r.Workload + "\x00" + string(b)
}

// A Cell is one configuration of one implementation and its repetitions.
type Cell struct {
	Impl, Family, Workload string
	// Params are the first run's parameters with Seed and Forks cleared.
	Params result.Params
	// Runs are the repetitions, ordered by fork, Repetition and start time.
	Runs []*result.Result

	key, config string
}

// GroupCells groups results into cells, ordered by family, workload, the
// parameters that sweeps vary (concurrency, GOMAXPROCS, rate) and implementation,
// so tables and plots come out in a stable order whatever the order of the files.
func GroupCells(results []*result.Result) []*Cell {
	byKey := map[string]*Cell{}
	var cells []*Cell
	for _, r := range results {
		k := CellKey(r)
		c, ok := byKey[k]
		if !ok {
			p := r.Params
			p.Seed, p.Forks = 0, 0
			c = &Cell{Impl: r.Impl, Family: r.Family, Workload: r.Workload, Params: p, key: k, config: configKey(r)}
			byKey[k] = c
			cells = append(cells, c)
		}
		c.Runs = append(c.Runs, r)
	}
	for _, c := range cells {
		sort.SliceStable(c.Runs, func(i, j int) bool {
			a, b := c.Runs[i], c.Runs[j]
			if a.Fork != b.Fork {
				return a.Fork < b.Fork
			}
			if a.Repetition != b.Repetition {
				return a.Repetition < b.Repetition
			}
			return a.Start.Before(b.Start)
		})
	}
	sort.SliceStable(cells, func(i, j int) bool {
		a, b := cells[i], cells[j]
		switch {
		case a.Family != b.Family:
			return a.Family < b.Family
		case a.Workload != b.Workload:
			return a.Workload < b.Workload
		case a.Params.Concurrency != b.Params.Concurrency:
			return a.Params.Concurrency < b.Params.Concurrency
		case a.Params.GOMAXPROCS != b.Params.GOMAXPROCS:
			return a.Params.GOMAXPROCS < b.Params.GOMAXPROCS
		case a.Params.Rate != b.Params.Rate:
			return a.Params.Rate < b.Params.Rate
		case a.Params.GOGC != b.Params.GOGC:
			return gogcOrder(a.Params.GOGC) < gogcOrder(b.Params.GOGC)
		case a.config != b.config:
			return a.config < b.config
		}
		return a.Impl < b.Impl
	})
	return cells
}

// Metric returns f of every run of c, in run order.
func (c *Cell) Metric(f func(*result.Result) float64) []float64 {
	v := make([]float64, len(c.Runs))
	for i, r := range c.Runs {
		v[i] = f(r)
	}
	return v
}

// Spread returns the median and range of f across c's repetitions.
func (c *Cell) Spread(f func(*result.Result) float64) Spread {
	return SpreadOf(c.Metric(f))
}

// MergedResponse returns the response-time histograms of every run merged into
// one. Runs whose histogram does not decode are skipped (ReadFile validated them,
// so this only happens for hand-built results).
func (c *Cell) MergedResponse() *hdr.Histogram {
	return c.merged(func(h result.Histograms) string { return h.Response })
}

// MergedService is MergedResponse for service times (finished − started).
func (c *Cell) MergedService() *hdr.Histogram {
	return c.merged(func(h result.Histograms) string { return h.Service })
}

// merged merges the histogram pick selects from every run.
func (c *Cell) merged(pick func(result.Histograms) string) *hdr.Histogram {
	h := metrics.NewHistogram()
	for _, r := range c.Runs {
		if rh, err := result.DecodeHistogram(pick(r.Histogram)); err == nil {
			h.Merge(rh)
		}
	}
	return h
}

// MedianRun returns the run whose achieved rate is the median of the cell's, the
// representative shown in per-cell plots such as the timeline.
func (c *Cell) MedianRun() *result.Result {
	runs := append([]*result.Result(nil), c.Runs...)
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].Rates.Achieved < runs[j].Rates.Achieved })
	return runs[(len(runs)-1)/2]
}

// configGroup is the cells of one family that ran the same configuration in the
// same mode, one per implementation: the unit a verdict, a ranking or a spectrum
// plot talks about. Modes never share a group: a limiter that makes callers wait
// and one that refuses at once answer different questions.
type configGroup struct {
	Family, Workload string
	// Mode is the cells' effective mode (see effectiveMode): "allow"/"wait",
	// "acquire"/"try", or "".
	Mode   string
	Params result.Params
	Cells  []*Cell
}

// groupByConfig splits cells (as ordered by GroupCells) into configuration groups
// by configuration and effective mode, keeping the order of first appearance.
func groupByConfig(cells []*Cell) []*configGroup {
	idx := map[string]*configGroup{}
	var groups []*configGroup
	for _, c := range cells {
		mode := EffectiveMode(c.Runs[0])
		key := c.config + "\x00" + mode
		g, ok := idx[key]
		if !ok {
			g = &configGroup{Family: c.Family, Workload: c.Workload, Mode: mode, Params: c.Params}
			idx[key] = g
			groups = append(groups, g)
		}
		g.Cells = append(g.Cells, c)
	}
	return groups
}

// groupLabel describes a configuration group: its configuration and, when it
// has one, its mode ("... allow mode").
func groupLabel(g *configGroup) string {
	l := configLabel(g.Workload, g.Params)
	if g.Mode != "" && g.Params.Family["mode"] == "" {
		l += " " + g.Mode + " mode"
	}
	return l
}

// configLabel describes p in the short flag spelling a reader typed, e.g.
// "closed conc=8 gomaxprocs=2 keys=1000" or "open rps=5000 conc=64 limit=1000".
func configLabel(workload string, p result.Params) string {
	var parts []string
	if workload != "" {
		parts = append(parts, workload)
	}
	if p.Model != "" {
		parts = append(parts, p.Model)
	}
	if p.Rate > 0 {
		parts = append(parts, "rps="+formatFloat(p.Rate))
	}
	if p.Concurrency > 0 {
		parts = append(parts, "conc="+strconv.Itoa(p.Concurrency))
	}
	if p.GOMAXPROCS > 0 {
		parts = append(parts, "gomaxprocs="+strconv.Itoa(p.GOMAXPROCS))
	}
	if p.Keys > 0 {
		parts = append(parts, "keys="+strconv.Itoa(p.Keys))
	}
	if p.GOGC != "" {
		parts = append(parts, "gogc="+p.GOGC)
	}
	if p.MemoryLimit != "" {
		parts = append(parts, "memlimit="+p.MemoryLimit)
	}
	keys := make([]string, 0, len(p.Family))
	for k := range p.Family {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "keys" && p.Keys > 0 && p.Family[k] == strconv.Itoa(p.Keys) {
			continue // the -keys flag, recorded for its family too: said once
		}
		parts = append(parts, k+"="+p.Family[k])
	}
	return strings.Join(parts, " ")
}

// hasSplit reports whether any run of c has the split group name with ops.
func hasSplit(c *Cell, name string) bool {
	for _, r := range c.Runs {
		if _, ok := r.SplitLatency(name); ok {
			return true
		}
	}
	return false
}

// SummedCounts is the outcome counts of c's runs added together.
func (c *Cell) SummedCounts() result.Counts {
	var n result.Counts
	for _, r := range c.Runs {
		n.Add(r.Counts)
	}
	return n
}
