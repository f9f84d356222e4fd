// Command pacerfrontier turns the output of BenchmarkPacer (internal/workloads) into the
// pacer's frontier: process CPU over the pacing (BenchmarkPacer's window-cores,
// its cores where a line has none) against lag p99, one line per pacer mode through
// the rates 1k, 5k, 20k and 200k ops/s, each point the median of the repeated
// runs with bars from the fastest to the slowest. It also prints the medians as
// a markdown table for docs/pacer.md. Lines of the peer's loop
// (../shared/research/vegeta-pacer: "vegeta pacer R/s: ... (P% of schedule), lag
// p50 X p99 Y ..., cores C") in the same input are the mode "peer" at 4 workers.
//
//	make bench-pacer    # runs the benchmark rounds, then this
//	go run ./internal/pacerfrontier -in results/bench-pacer.txt -out docs/pacer-frontier.png -note 'where, when'
package main

import (
	"errors"
	"flag"
	"fmt"
	"image/color"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/perf/benchfmt"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/syncbench/syncbench/internal/units"
)

func main() {
	in := flag.String("in", "results/bench-pacer.txt", "BenchmarkPacer output (go test -bench format)")
	out := flag.String("out", "docs/pacer-frontier.png", "the PNG to write")
	note := flag.String("note", "", "a second title line: where and how it was measured")
	flag.Parse()
	if err := run(*in, *out, *note, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "pacerfrontier:", err)
		os.Exit(1)
	}
}

// cell is one benchmark configuration and the samples of its repeated runs.
type cell struct {
	mode              string
	rate              float64
	conc              int
	cores, lag, achvd []float64
	// window are the runs' CPU over the measured window only (window-cores),
	// the span a peer's loop times itself over; none for the floors and the
	// peer, whose cores are that span already.
	window   []float64
	pacerLag []float64 // the pacer's own lag p99 (ops claimed before due); none for the floors
}

// pacing is the CPU the frontier compares: over the window where it was
// measured, over the whole run otherwise.
func (c *cell) pacing() []float64 {
	if len(c.window) > 0 {
		return c.window
	}
	return c.cores
}

var nameRE = regexp.MustCompile(`mode=(\w+)/rps=([0-9.e+]+)/conc=(\d+)`)

// frontierRates are the rates the plot draws (conc=4, loadgen's default).
var frontierRates = []float64{1000, 5000, 20000, 200000}

func run(in, out, note string, w io.Writer) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	text, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	cells := map[string]*cell{}
	var order []string
	r := benchfmt.NewReader(strings.NewReader(peerLines(string(text))), in)
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			continue
		}
		m := nameRE.FindStringSubmatch(string(res.Name.Full()))
		if m == nil {
			continue
		}
		rate, _ := strconv.ParseFloat(m[2], 64)
		conc, _ := strconv.Atoi(m[3])
		key := m[0]
		c := cells[key]
		if c == nil {
			c = &cell{mode: m[1], rate: rate, conc: conc}
			cells[key] = c
			order = append(order, key)
		}
		for _, v := range res.Values {
			// benchfmt tidies units ending in -ns into seconds; read the
			// values as the benchmark reported them.
			unit, value := v.Unit, v.Value
			if v.OrigUnit != "" {
				unit, value = v.OrigUnit, v.OrigValue
			}
			switch unit {
			case "cores":
				c.cores = append(c.cores, value)
			case "window-cores":
				c.window = append(c.window, value)
			case "lag-p99-ns":
				c.lag = append(c.lag, value)
			case "achieved-pct":
				c.achvd = append(c.achvd, value)
			case "pacer-lag-p99-ns":
				c.pacerLag = append(c.pacerLag, value)
			}
		}
	}
	if err := r.Err(); err != nil {
		return err
	}
	if len(cells) == 0 {
		return errors.New(in + " holds no BenchmarkPacer results")
	}
	printTable(w, cells, order)
	printPeerCheck(w, cells)
	return plotFrontier(out, note, cells)
}

var peerRE = regexp.MustCompile(`(?m)^vegeta pacer (\d+)/s: .*\(([0-9.]+)% of schedule\), lag p50 \S+ p99 (\S+?),? .*cores ([0-9.]+)\s*$`)

// peerLines rewrites the peer's lines in text as BenchmarkPacer results of the
// mode "peer" (4 workers, as its loop has); other lines are left as they are.
func peerLines(text string) string {
	return peerRE.ReplaceAllStringFunc(text, func(line string) string {
		m := peerRE.FindStringSubmatch(line)
		lag, err := time.ParseDuration(m[3])
		if err != nil {
			return line
		}
		return fmt.Sprintf("BenchmarkPacer/mode=peer/rps=%s/conc=4-2 1 %s achieved-pct %s cores %d lag-p99-ns", m[1], m[2], m[4], lag.Nanoseconds())
	})
}

// stats returns the median, minimum and maximum of v (NaN-free, non-empty).
func stats(v []float64) (med, lo, hi float64) {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	med = s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return med, s[0], s[n-1]
}

func printTable(w io.Writer, cells map[string]*cell, order []string) {
	fmt.Fprintln(w, "| mode | rate | workers | runs | cores over the pacing (median, min–max) | cores over the whole run | lag p99 (median, min–max) | pacer's own lag p99 | achieved |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---|---|---|---|---:|")
	for _, key := range order {
		c := cells[key]
		if len(c.cores) == 0 || len(c.lag) == 0 {
			continue
		}
		cm, cl, ch := stats(c.pacing())
		whole := "–" // the peer's only figure is its pacing's
		if len(c.window) > 0 {
			wm, wl, wh := stats(c.cores)
			whole = fmt.Sprintf("%.3f (%.3f–%.3f)", wm, wl, wh)
		}
		lm, ll, lh := stats(c.lag)
		am, _, _ := stats(c.achvd)
		own := "–"
		if len(c.pacerLag) > 0 {
			pm, pl, ph := stats(c.pacerLag)
			own = fmt.Sprintf("%s (%s–%s)", units.Duration(pm), units.Duration(pl), units.Duration(ph))
		}
		fmt.Fprintf(w, "| %s | %s/s | %d | %d | %.3f (%.3f–%.3f) | %s | %s (%s–%s) | %s | %.2f%% |\n",
			c.mode, units.Trim(units.Count(c.rate)), c.conc, len(c.cores), cm, cl, ch, whole,
			units.Duration(lm), units.Duration(ll), units.Duration(lh), own, am)
	}
}

// pacerModes are loadgen's modes, the ones the peer is checked against.
var pacerModes = []string{"spin", "hybrid", "sleep", "batch", "batchwide"}

// printPeerCheck says, at each frontier rate the peer was measured at, which
// of loadgen's modes has the lowest lag p99 within the peer's CPU (medians,
// 4 workers): the issue's "at every CPU budget the peer reaches, loadgen has a
// mode with lower lag p99".
func printPeerCheck(w io.Writer, cells map[string]*cell) {
	for _, rate := range frontierRates {
		peer := findCell(cells, "peer", rate, 4)
		if peer == nil || len(peer.cores) == 0 || len(peer.lag) == 0 {
			continue
		}
		pc, _, _ := stats(peer.pacing())
		pl, _, _ := stats(peer.lag)
		best, bestCores, bestLag := "", 0.0, 0.0
		cheap, cheapCores, cheapLag := "", 0.0, 0.0
		for _, mode := range pacerModes {
			c := findCell(cells, mode, rate, 4)
			if c == nil || len(c.cores) == 0 || len(c.lag) == 0 {
				continue
			}
			cm, _, _ := stats(c.pacing())
			lm, _, _ := stats(c.lag)
			if cm <= pc && (best == "" || lm < bestLag) {
				best, bestCores, bestLag = mode, cm, lm
			}
			if cheap == "" || cm < cheapCores {
				cheap, cheapCores, cheapLag = mode, cm, lm
			}
		}
		rs := units.Trim(units.Count(rate)) + "/s"
		switch {
		case best != "":
			verdict := "lower lag p99"
			if bestLag >= pl {
				verdict = "NOT lower lag p99"
			}
			fmt.Fprintf(w, "peer at %s: %.3f cores, lag p99 %s; within its CPU loadgen's %s: %.3f cores, lag p99 %s: %s\n",
				rs, pc, units.Duration(pl), best, bestCores, units.Duration(bestLag), verdict)
		case cheap != "":
			fmt.Fprintf(w, "peer at %s: %.3f cores, lag p99 %s; no loadgen mode within its CPU (cheapest: %s, %.3f cores, lag p99 %s)\n",
				rs, pc, units.Duration(pl), cheap, cheapCores, units.Duration(cheapLag))
		}
	}
}

// modeStyle gives each mode its colour and marker, so the lines stay apart in
// grey-scale print too.
var modeStyle = map[string]struct {
	color color.Color
	shape draw.GlyphDrawer
}{
	"spin":      {color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 255}, draw.SquareGlyph{}},
	"hybrid":    {color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 255}, draw.CircleGlyph{}},
	"sleep":     {color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 255}, draw.TriangleGlyph{}},
	"batch":     {color.RGBA{R: 0x94, G: 0x67, B: 0xbd, A: 255}, draw.PyramidGlyph{}},
	"batchwide": {color.RGBA{R: 0x8c, G: 0x56, B: 0x4b, A: 255}, draw.BoxGlyph{}},
	"peer":      {color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 255}, draw.RingGlyph{}},
	"spinfloor": {color.Gray{Y: 0x80}, draw.CrossGlyph{}},
	"wakefloor": {color.Gray{Y: 0x50}, draw.PlusGlyph{}},
}

// legendName is what the legend calls a mode: the floors are not pacers but
// what the machine allowed in the same rounds (BenchmarkPacer's doc comment).
func legendName(mode string) string {
	switch mode {
	case "spinfloor":
		return "floor: a thread that only spins"
	case "wakefloor":
		return "floor: the bare kernel timer"
	case "peer":
		return "peer: vegeta v12's pacing loop"
	case "batch":
		return "batch (default interval: 1 ms, 500 µs from 100k/s)"
	case "batchwide":
		return "batch, wider (1.1 ms; 1 ms from 100k/s)"
	}
	return mode
}

func plotFrontier(out, note string, cells map[string]*cell) error {
	p := plot.New()
	p.Title.Text = "Open-loop pacer: CPU against lag p99 (noop target, 4 workers)"
	if note != "" {
		p.Title.Text += "\n" + note
	}
	p.X.Label.Text = "process CPU over the pacing (cores, log scale)"
	// Log scale: the batch mode and the peer sit within a tenth of a core,
	// the spinners near two.
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = coreTicks{}
	p.Y.Label.Text = "lag p99 (started − intended)"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = nsTicks{}
	// Bottom left: no mode reaches low lag at low CPU, so the corner is free.
	p.Legend.Top = false
	p.Legend.Left = true
	p.Add(plotter.NewGrid())
	modes := []string{"spin", "hybrid", "sleep", "batch", "batchwide", "peer", "spinfloor", "wakefloor"}
	minLag, maxLag := 1e18, 0.0
	minCores, maxCores := 1e18, 0.0
	for _, mode := range modes {
		conc := 4
		if strings.HasSuffix(mode, "floor") {
			conc = 1 // one goroutine, whatever the pacers' workers
		}
		var pts plotter.XYs
		var xerr plotter.XErrors
		var yerr plotter.YErrors
		var labels []string
		for _, rate := range frontierRates {
			c := findCell(cells, mode, rate, conc)
			if c == nil || len(c.cores) == 0 || len(c.lag) == 0 {
				continue
			}
			cm, cl, ch := stats(c.pacing())
			lm, ll, lh := stats(c.lag)
			lm, ll, lh = max(lm, 1), max(ll, 1), max(lh, 1)
			minLag, maxLag = min(minLag, ll), max(maxLag, lh)
			minCores, maxCores = min(minCores, max(cl, 1e-3)), max(maxCores, ch)
			pts = append(pts, plotter.XY{X: cm, Y: lm})
			xerr = append(xerr, struct{ Low, High float64 }{cm - cl, ch - cm})
			yerr = append(yerr, struct{ Low, High float64 }{lm - ll, lh - lm})
			labels = append(labels, units.Trim(units.Count(rate))+"/s")
		}
		if len(pts) == 0 {
			continue
		}
		st := modeStyle[mode]
		line, scatter, err := plotter.NewLinePoints(pts)
		if err != nil {
			return err
		}
		line.Color = st.color
		scatter.Color, scatter.Shape, scatter.Radius = st.color, st.shape, vg.Points(3.5)
		bars := &errorBars{XYs: pts, XErrors: xerr, YErrors: yerr}
		xb, err := plotter.NewXErrorBars(bars)
		if err != nil {
			return err
		}
		yb, err := plotter.NewYErrorBars(bars)
		if err != nil {
			return err
		}
		xb.Color, yb.Color = st.color, st.color
		lab, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: labels})
		if err != nil {
			return err
		}
		lab.Offset = vg.Point{X: vg.Points(5), Y: vg.Points(3)}
		for i := range lab.TextStyle {
			lab.TextStyle[i].Color = st.color
			lab.TextStyle[i].Font.Size = vg.Points(8)
		}
		p.Add(line, scatter, xb, yb, lab)
		if strings.HasSuffix(mode, "floor") {
			line.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		p.Legend.Add(legendName(mode), line, scatter)
	}
	if maxLag == 0 {
		return errors.New("no frontier cells (conc=4 at 1k, 5k, 20k, 200k) in the input")
	}
	p.Y.Min, p.Y.Max = minLag/2, maxLag*2
	p.X.Min, p.X.Max = minCores/1.5, maxCores*1.5
	return p.Save(8*vg.Inch, 5*vg.Inch, out)
}

func findCell(cells map[string]*cell, mode string, rate float64, conc int) *cell {
	for _, c := range cells {
		if c.mode == mode && c.rate == rate && c.conc == conc {
			return c
		}
	}
	return nil
}

// errorBars feeds both the X and the Y error bars of one line.
type errorBars struct {
	plotter.XYs
	plotter.XErrors
	plotter.YErrors
}

// coreTicks labels a log-scaled cores axis at 1, 2 and 5 of every decade.
type coreTicks struct{}

func (coreTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for v := 0.001; v <= hi*10; v *= 10 {
		for _, m := range []float64{1, 2, 5} {
			if x := v * m; x >= lo && x <= hi {
				ticks = append(ticks, plot.Tick{Value: x, Label: strconv.FormatFloat(x, 'g', 3, 64)})
			}
		}
	}
	return ticks
}

// nsTicks labels a log-scaled nanosecond axis at every decade in ns/µs/ms.
type nsTicks struct{}

func (nsTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for v := 1.0; v <= hi*10; v *= 10 {
		for _, m := range []float64{1, 2, 5} {
			x := v * m
			if x < lo || x > hi {
				continue
			}
			label := ""
			if m == 1 || m == 5 {
				label = units.Trim(units.Duration(x))
			}
			ticks = append(ticks, plot.Tick{Value: x, Label: label})
		}
	}
	return ticks
}
