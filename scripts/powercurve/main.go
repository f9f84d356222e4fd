// Command powercurve measures how often the regression check flags a change of
// known size, by replaying rounds recorded in an A/A run (base and head built
// from the same commit, so every recorded pair is pure machine noise).
//
//	go run ./scripts/powercurve -base results/aa/base.txt -head results/aa/head.txt \
//	    -shifts 0,2,5,10,20,50 -trials 110,22,22,66,66,22 -png docs/regress-power.png
//
// Each trial replays the check as scripts/regress.sh runs it: COUNT rounds of
// every benchmark, drawn without replacement from that benchmark's recorded
// pairs, then one more round at a time for the benchmarks still coarser than
// the target, while the simulated time (build seconds plus seconds per pair,
// both measured from the recording) fits the budget. Before comparing, one
// benchmark (a different one each trial, in turn) has its head time/op values
// multiplied by 1 + shift: the detected fraction is how often that benchmark
// is flagged; with shift 0 a trial is a false positive when any benchmark is.
//
// Only the primary family is replayed (the verdict depends on it alone), which
// is what makes hundreds of trials cheap. It prints a markdown table and, with
// -png, plots the detected fraction against the shift.
package main

import (
	"flag"
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/syncbench/syncbench/internal/reports"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

func main() {
	basePath := flag.String("base", "", "recorded A/A base.txt (with round lines); a comma-separated list pools several recordings")
	headPath := flag.String("head", "", "recorded A/A head.txt, or a list matching -base")
	shiftList := flag.String("shifts", "0,2,5,10,20,50", "slowdowns to inject, in percent")
	trialList := flag.String("trials", "100", "trials per shift: one number, or a list matching -shifts")
	count := flag.Int("count", 10, "rounds before the first look at the resolution (COUNT)")
	budget := flag.Float64("budget", 600, "seconds for the whole check (BUDGET)")
	buildSec := flag.Float64("build", 60, "seconds the builds take, counted against the budget")
	pairSec := flag.Float64("pair", 0.4, "seconds one benchmark pair (base and head run) takes")
	threshold := flag.Float64("threshold", 0.05, "compare -threshold, as a fraction")
	target := flag.Float64("target", 0.10, "compare -target, as a fraction")
	pngPath := flag.String("png", "", "write the power curve to this PNG")
	title := flag.String("title", "", "plot title")
	unit := flag.String("unit", "", "unit to replay, in benchfmt's tidy form (default the primary: cpu-sec/op, else sec/op)")
	spread := flag.Bool("spread", false, "only print each benchmark's spread of the pair log ratios (σ and MAD·1.4826) and their medians")
	flag.Parse()
	if *basePath == "" || *headPath == "" {
		fmt.Fprintln(os.Stderr, "powercurve: -base and -head are required")
		os.Exit(2)
	}
	rec, err := load(*basePath, *headPath, *unit)
	if err != nil {
		fmt.Fprintln(os.Stderr, "powercurve:", err)
		os.Exit(2)
	}
	if *spread {
		printSpread(rec)
		return
	}
	var shifts []float64
	for s := range strings.SplitSeq(*shiftList, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			fmt.Fprintf(os.Stderr, "powercurve: -shifts %q: %v\n", s, err)
			os.Exit(2)
		}
		shifts = append(shifts, v/100)
	}
	var trials []int
	for s := range strings.SplitSeq(*trialList, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || v <= 0 {
			fmt.Fprintf(os.Stderr, "powercurve: -trials %q: want positive integers\n", s)
			os.Exit(2)
		}
		trials = append(trials, v)
	}
	if len(trials) == 1 {
		for len(trials) < len(shifts) {
			trials = append(trials, trials[0])
		}
	}
	if len(trials) != len(shifts) {
		fmt.Fprintln(os.Stderr, "powercurve: -trials lists a different number of values than -shifts")
		os.Exit(2)
	}
	cfg := sim{rec: rec, count: *count, budget: *budget, build: *buildSec, pair: *pairSec,
		opts: reports.CompareOptions{Threshold: *threshold, Target: *target}}
	fmt.Printf("%d benchmarks, primary unit %s, %d to %d recorded pairs each; COUNT %d, budget %.0fs (build %.0fs, %.2fs a pair)\n\n",
		len(rec.names), rec.unit, rec.minPairs(), rec.maxPairs(), *count, *budget, *buildSec, *pairSec)
	fmt.Println("| injected slowdown | flagged | 95% interval | runs failing the check | rounds (median) | simulated time (median) | unresolved at the end (mean) |")
	fmt.Println("|--:|--:|--:|--:|--:|--:|--:|")
	var pts plotter.XYs
	var lo, hi []float64
	for i, s := range shifts {
		r := cfg.run(s, trials[i])
		l, h := wilson(r.hits, r.n)
		label := "flagged"
		if s == 0 {
			label = "false positive"
		}
		fmt.Printf("| %g%% | %d / %d (%.0f%%) %s | %.0f–%.0f%% | %d / %d | %.0f | %.0fs | %.1f |\n",
			100*s, r.hits, r.n, 100*float64(r.hits)/float64(r.n), label, 100*l, 100*h, r.failing, r.n,
			median(r.rounds), median(r.seconds), mean(r.unresolved))
		if s > 0 {
			pts = append(pts, plotter.XY{X: 100 * s, Y: float64(r.hits) / float64(r.n)})
			lo, hi = append(lo, l), append(hi, h)
		}
	}
	if *pngPath != "" {
		if err := draw(*pngPath, *title, pts, lo, hi); err != nil {
			fmt.Fprintln(os.Stderr, "powercurve:", err)
			os.Exit(1)
		}
	}
}

// recording holds the recorded primary-family pairs per benchmark.
type recording struct {
	unit  string
	names []string
	pairs map[string][][2]float64 // name → (base, head) per recorded round
}

func (r *recording) minPairs() int {
	m := math.MaxInt
	for _, p := range r.pairs {
		m = min(m, len(p))
	}
	return m
}

func (r *recording) maxPairs() int {
	m := 0
	for _, p := range r.pairs {
		m = max(m, len(p))
	}
	return m
}

// load reads the files and pairs each benchmark's primary values by round,
// with reports' own reader and pairing (a Compare over the whole recording).
// Several recordings are pooled, their round labels kept apart by a prefix.
func load(basePaths, headPaths, unit string) (*recording, error) {
	read := func(paths string) (*reports.Samples, error) {
		var all reports.Samples
		for i, p := range strings.Split(paths, ",") {
			f, err := os.Open(p)
			if err != nil {
				return nil, err
			}
			s, err := reports.ReadBenchSamples(f, p)
			f.Close()
			if err != nil {
				return nil, err
			}
			for _, k := range s.Order {
				for j, v := range s.Values[k] {
					all.AddRound(k.Name, k.Unit, fmt.Sprintf("%d/%s", i, s.Rounds[k][j]), v)
				}
			}
			all.Units = s.Units
		}
		return &all, nil
	}
	if len(strings.Split(basePaths, ",")) != len(strings.Split(headPaths, ",")) {
		return nil, fmt.Errorf("-base and -head list different numbers of files")
	}
	base, err := read(basePaths)
	if err != nil {
		return nil, err
	}
	head, err := read(headPaths)
	if err != nil {
		return nil, err
	}
	c := reports.Compare(base, head, reports.CompareOptions{PrimaryOnly: true, Primary: unit})
	if len(c.Families) == 0 || !c.Families[0].Primary {
		return nil, fmt.Errorf("%s and %s have no metric in common", basePaths, headPaths)
	}
	rec := &recording{unit: c.Families[0].Unit, pairs: map[string][][2]float64{}}
	for _, m := range c.Metrics {
		if !m.Primary {
			continue
		}
		if m.Pairs == 0 {
			return nil, fmt.Errorf("%s: no round labels; record with scripts/regress.sh", m.Key.Name)
		}
		k := m.Key
		headAt := map[string][]float64{}
		for i, l := range head.Rounds[k] {
			headAt[l] = append(headAt[l], head.Values[k][i])
		}
		seen := map[string]int{}
		for i, l := range base.Rounds[k] {
			j := seen[l]
			if j < len(headAt[l]) {
				rec.pairs[k.Name] = append(rec.pairs[k.Name], [2]float64{base.Values[k][i], headAt[l][j]})
			}
			seen[l] = j + 1
		}
		rec.names = append(rec.names, k.Name)
	}
	return rec, nil
}

// sim replays the check on a recording.
type sim struct {
	rec                 *recording
	count               int
	budget, build, pair float64
	opts                reports.CompareOptions
}

type result struct {
	n, hits, failing int
	rounds, seconds  []float64
	unresolved       []float64
}

// run replays trials checks with the given shift, on all processors; trial t
// always draws from the same seed, so the output is reproducible.
func (s sim) run(shift float64, trials int) result {
	type outcome struct {
		flagged, failing bool
		rounds           int
		secs             float64
		unresolved       int
	}
	outs := make([]outcome, trials)
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for t := range next {
				rng := rand.New(rand.NewPCG(uint64(t), uint64(1e6*shift)))
				o := &outs[t]
				o.flagged, o.failing, o.rounds, o.secs, o.unresolved = s.trial(rng, s.rec.names[t%len(s.rec.names)], shift)
			}
		})
	}
	for t := range trials {
		next <- t
	}
	close(next)
	wg.Wait()
	var r result
	for _, o := range outs {
		flagged, failing, rounds, secs, unresolved := o.flagged, o.failing, o.rounds, o.secs, o.unresolved
		r.n++
		if shift == 0 && failing || shift > 0 && flagged {
			r.hits++
		}
		if failing {
			r.failing++
		}
		r.rounds = append(r.rounds, float64(rounds))
		r.seconds = append(r.seconds, secs)
		r.unresolved = append(r.unresolved, float64(unresolved))
	}
	return r
}

// trial replays one check and reports whether victim was flagged, whether the
// check failed at all, its rounds, simulated seconds and unresolved count.
// Between rounds only the benchmarks that just got a pair are compared again
// (with the whole suite's family size, so their resolution is what the full
// comparison would state): a benchmark's resolution depends on its own pairs
// alone.
func (s sim) trial(rng *rand.Rand, victim string, shift float64) (bool, bool, int, float64, int) {
	type series struct {
		order      []int
		base, head []float64
	}
	all := map[string]*series{}
	for _, name := range s.rec.names {
		all[name] = &series{order: rng.Perm(len(s.rec.pairs[name]))}
	}
	add := func(name string) bool {
		sr := all[name]
		i := len(sr.base)
		if i >= len(sr.order) {
			return false // the recording has no more pairs of it
		}
		p := s.rec.pairs[name][sr.order[i]]
		h := p[1]
		if name == victim {
			h *= 1 + shift
		}
		sr.base, sr.head = append(sr.base, p[0]), append(sr.head, h)
		return true
	}
	samples := func(names []string) (*reports.Samples, *reports.Samples) {
		var b, h reports.Samples
		for _, name := range names {
			sr := all[name]
			for i := range sr.base {
				label := strconv.Itoa(i + 1)
				b.AddRound(name, s.rec.unit, label, sr.base[i])
				h.AddRound(name, s.rec.unit, label, sr.head[i])
			}
		}
		return &b, &h
	}
	opts := s.opts
	opts.Primary, opts.PrimaryOnly, opts.FamilySize = s.rec.unit, true, len(s.rec.names)
	pairs, rounds := 0, 0
	for range s.count {
		for _, name := range s.rec.names {
			if add(name) {
				pairs++
			}
		}
		rounds++
	}
	pending := s.rec.names
	unresolved := 0
	for {
		b, h := samples(pending)
		var un []string
		for _, m := range reports.Compare(b, h, opts).Unresolved() {
			un = append(un, m.Key.Name)
		}
		unresolved = len(un)
		if len(un) == 0 || s.build+float64(pairs+len(un))*s.pair > s.budget {
			break
		}
		var added []string
		for _, name := range un {
			if add(name) {
				added = append(added, name)
			}
		}
		if len(added) == 0 {
			break
		}
		pairs += len(added)
		rounds++
		pending = un // those out of recorded pairs stay unresolved
	}
	b, h := samples(s.rec.names)
	flagged, failing := false, false
	for _, m := range reports.Compare(b, h, opts).Regressions() {
		failing = true
		if m.Key.Name == victim {
			flagged = true
		}
	}
	return flagged, failing, rounds, s.build + float64(pairs)*s.pair, unresolved
}

// printSpread prints, per benchmark, the spread of its recorded pairs' log
// ratios: the standard deviation and the median absolute deviation scaled to
// match it for normal data, then the medians of both over the benchmarks.
func printSpread(rec *recording) {
	fmt.Printf("%s: spread of ln(head/base) per recorded pair\n\n| benchmark | pairs | σ | MAD·1.4826 |\n|---|--:|--:|--:|\n", rec.unit)
	var sds, mads []float64
	for _, name := range rec.names {
		var d []float64
		for _, p := range rec.pairs[name] {
			d = append(d, math.Log(p[1]/p[0]))
		}
		m := mean(d)
		ss := 0.0
		for _, v := range d {
			ss += (v - m) * (v - m)
		}
		sd := math.Sqrt(ss / float64(len(d)))
		med := median(d)
		var dev []float64
		for _, v := range d {
			dev = append(dev, math.Abs(v-med))
		}
		mad := 1.4826 * median(dev)
		sds, mads = append(sds, sd), append(mads, mad)
		fmt.Printf("| %s | %d | %.3f | %.3f |\n", name, len(d), sd, mad)
	}
	fmt.Printf("| **median** | | **%.3f** | **%.3f** |\n", median(sds), median(mads))
}

// wilson returns the 95% Wilson score interval of k successes in n trials.
func wilson(k, n int) (float64, float64) {
	if n == 0 {
		return 0, 1
	}
	const z = 1.959964
	p, fn := float64(k)/float64(n), float64(n)
	den := 1 + z*z/fn
	c := (p + z*z/(2*fn)) / den
	h := z * math.Sqrt(p*(1-p)/fn+z*z/(4*fn*fn)) / den
	return math.Max(0, c-h), math.Min(1, c+h)
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return math.NaN()
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func mean(v []float64) float64 {
	t := 0.0
	for _, x := range v {
		t += x
	}
	return t / float64(len(v))
}

// draw plots the detected fraction against the injected slowdown, with its
// Wilson intervals and the 80% and 95% goals.
func draw(path, title string, pts plotter.XYs, lo, hi []float64) error {
	p := plot.New()
	if title == "" {
		title = "Regression check: share of runs that flag an injected slowdown"
	}
	p.Title.Text = title
	p.X.Label.Text = "CPU time/op slowdown injected into one benchmark (log scale)"
	p.Y.Label.Text = "share of checks that flag it"
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.ConstantTicks(ticks(pts))
	p.Y.Min, p.Y.Max = 0, 1.02
	var yt []plot.Tick
	for v := 0; v <= 100; v += 20 {
		yt = append(yt, plot.Tick{Value: float64(v) / 100, Label: strconv.Itoa(v) + "%"})
	}
	p.Y.Tick.Marker = plot.ConstantTicks(yt)
	p.Add(plotter.NewGrid())
	for _, g := range []struct {
		y     float64
		label string
	}{{0.8, "goal at 10%: 80%"}, {0.95, "goal at 20%: 95%"}} {
		l, err := plotter.NewLine(plotter.XYs{{X: pts[0].X, Y: g.y}, {X: pts[len(pts)-1].X, Y: g.y}})
		if err != nil {
			return err
		}
		l.Color = color.Gray{Y: 140}
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(l)
		p.Legend.Add(g.label, l)
	}
	line, points, err := plotter.NewLinePoints(pts)
	if err != nil {
		return err
	}
	line.Color = plotutil.Color(0)
	points.Color = plotutil.Color(0)
	errs := make(plotter.YErrors, len(pts))
	for i := range pts {
		errs[i].Low, errs[i].High = pts[i].Y-lo[i], hi[i]-pts[i].Y
	}
	bars, err := plotter.NewYErrorBars(struct {
		plotter.XYer
		plotter.YErrorer
	}{pts, errs})
	if err != nil {
		return err
	}
	bars.Color = plotutil.Color(0)
	p.Add(line, points, bars)
	p.Legend.Add("flagged (95% interval)", line, points)
	p.Legend.Top = false
	p.Legend.Left = false
	p.Legend.YOffs = vg.Points(40)
	return p.Save(7*vg.Inch, 4.5*vg.Inch, path)
}

func ticks(pts plotter.XYs) []plot.Tick {
	var t []plot.Tick
	for _, p := range pts {
		t = append(t, plot.Tick{Value: p.X, Label: strconv.FormatFloat(p.X, 'g', -1, 64) + "%"})
	}
	return t
}
