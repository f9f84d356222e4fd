package reports

import (
	"sort"
	"strconv"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// snapshotColumns are the snapshot family's table: the read cost (rate and
// latency of the read split), the reload cost (the write split) and what a
// reload allocates.
var snapshotColumns = []column{
	{"reads_per_s", "reads/s", units.Rate},
	{"read_p50_ns", "read p50", units.Duration},
	{"read_p99_ns", "read p99", units.Duration},
	{"reloads_per_s", "reloads/s", units.Rate},
	{"reload_p50_ns", "reload p50", units.Duration},
	{"reload_p99_ns", "reload p99", units.Duration},
	{"reload_alloc_bytes", "heap per reload", units.Bytes},
	{"state_bytes", "state size", units.Bytes},
}

// snapshotTexts are the table's text columns.
var snapshotTexts = []column{{key: "reload", label: "a reload"}}

// snapshotFigures returns one snapshot run's figures for its table, from its
// read and write splits, its runtime allocations and its ImplStats.
func snapshotFigures(r *result.Result) map[string]any {
	m := map[string]any{}
	secs := float64(r.DurationNs) / 1e9
	for kind, prefix := range map[string]string{"read": "read", "write": "reload"} {
		sp, ok := r.SplitGroup(kind)
		if !ok {
			continue
		}
		if secs > 0 {
			m[prefix+"s_per_s"] = float64(sp.Count) / secs
		}
		if sp.Latency.Response.Count > 0 {
			m[prefix+"_p50_ns"] = float64(sp.Latency.Response.P50)
			m[prefix+"_p99_ns"] = float64(sp.Latency.Response.P99)
		}
	}
	if b, ok := ReloadAllocBytes(r); ok {
		m["reload_alloc_bytes"] = b
	}
	if v, ok := r.ImplStats["state_bytes"]; ok {
		m["state_bytes"] = v
	}
	if c, ok := r.ImplStats["copies_on_reload"]; ok {
		m["reload"] = map[bool]string{true: "copies", false: "in place"}[c == 1]
	}
	return m
}

// ReloadAllocBytes is the target's heap allocation over the window per reload:
// a read allocates nothing, so what the target allocated is its reloads'.
// The runtime's per-op figure is over every op that finished in the window,
// as the write split's count is.
func ReloadAllocBytes(r *result.Result) (float64, bool) {
	rt, ok := r.Extras[result.RuntimeExtrasKey]
	sp, found := r.SplitGroup("write")
	if !ok || !found || sp.Count == 0 {
		return 0, false
	}
	return result.ExtraFloat(rt["alloc_bytes_per_op"]) * float64(r.Counts.Completed) / float64(sp.Count), true
}

// readsPerSecond is a run's read split over its window.
func readsPerSecond(r *result.Result) (float64, bool) {
	sp, ok := r.SplitGroup("read")
	if !ok || r.DurationNs <= 0 {
		return 0, false
	}
	return float64(sp.Count) / (float64(r.DurationNs) / 1e9), true
}

// snapshotsSection writes the snapshot family's table and, when GOMAXPROCS
// was swept (-cpu 1,2,...), how the read rate scales with it, the question
// copy-on-write answers; otherwise the read rate per configuration.
func (rb *reportBuilder) snapshotsSection(cells []*Cell) {
	rb.printf("A read takes a consistent view of the state (the version and two entries) and lets go; a reload writes the next version of every entry (`-keys`, 64 by default). Reads/s and the read percentiles come from the read split, so in a mix with reloads they are the reads' while reloads run; the reload columns are the write split's. Heap per reload is the target's allocation over the window divided by its reloads (reads allocate nothing): a copy-on-write store allocates a whole state per reload, a lock rewrites it in place.\n\n")
	rb.valueTable("Snapshots: reads, reloads and their allocations", cells, distinctConfigs(cells) > 1, snapshotFigures, snapshotColumns, snapshotTexts)
	if sweepAxis(cells) == "gomaxprocs" {
		rb.addFigure(readScalingFigure("snapshot-read-scaling", cells))
		return
	}
	for _, g := range groupByConfig(cells) {
		title := "Reads per second (median, min–max) — " + groupLabel(g)
		rb.addFigure(valueBarsFigure("snapshot-reads-"+groupLabel(g), title, "reads/s", g, readsPerSecond))
	}
}

// readScalingFigure draws the median read rate against GOMAXPROCS, one line
// per implementation and remaining configuration.
func readScalingFigure(name string, cells []*Cell) figure {
	title := "Read throughput scaling with GOMAXPROCS — snapshots"
	return figure{name: name, title: title, w: 8 * vg.Inch, h: 5 * vg.Inch, build: func() (drawable, error) {
		p := newPlot(title, "GOMAXPROCS", "median reads/s")
		p.Y.Tick.Marker = siTicks{}
		type line struct {
			label string
			pts   plotter.XYs
		}
		var lines []*line
		idx := map[string]*line{}
		ticks := map[int]bool{}
		for _, c := range cells {
			rest := c.Params
			rest.GOMAXPROCS = 0
			label := c.Impl
			if distinctConfigs(cells) > len(gomaxprocsValues(cells)) {
				label += " (" + configLabel(c.Workload, rest) + ")"
			}
			l, ok := idx[label]
			if !ok {
				l = &line{label: label}
				idx[label] = l
				lines = append(lines, l)
			}
			var nums []float64
			for _, r := range c.Runs {
				if v, ok := readsPerSecond(r); ok {
					nums = append(nums, v)
				}
			}
			if len(nums) > 0 {
				ticks[c.Params.GOMAXPROCS] = true
				l.pts = append(l.pts, plotter.XY{X: float64(c.Params.GOMAXPROCS), Y: SpreadOf(nums).Median})
			}
		}
		for i, l := range lines {
			sort.Slice(l.pts, func(a, b int) bool { return l.pts[a].X < l.pts[b].X })
			if err := addLine(p, i, l.label, positiveXYs(l.pts, false)); err != nil {
				return nil, err
			}
		}
		var marks []plot.Tick
		for x := range ticks {
			marks = append(marks, plot.Tick{Value: float64(x), Label: strconv.Itoa(x)})
		}
		sort.Slice(marks, func(i, j int) bool { return marks[i].Value < marks[j].Value })
		p.X.Tick.Marker = plot.ConstantTicks(marks)
		p.Y.Min = 0
		return p, nil
	}}
}

// gomaxprocsValues is the set of distinct GOMAXPROCS values among cells' configurations.
func gomaxprocsValues(cells []*Cell) map[int]bool {
	seen := map[int]bool{}
	for _, c := range cells {
		seen[c.Params.GOMAXPROCS] = true
	}
	return seen
}
