package cli

// loadgen crossover: where two implementations' order flips as one parameter
// varies. The search (which values to probe) is package crossover; each probe
// is the run command's plan at one value of the parameter, run in forks
// (package forks) so that both implementations run paired in every process,
// and compared by the verdicts' test (reports.ComparePair). Here: the flags,
// the probes' command lines, and what is printed and written.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/crossover"
	"github.com/syncbench/syncbench/internal/forks"
	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

func init() {
	registerSubcommand(subcommand{name: "crossover", summary: "find where two implementations' order flips as one parameter varies", run: runCrossover})
}

const crossoverUsage = `usage: loadgen crossover -impl A,B -vary PARAM=LO..HI [-steps 5] [-grid 5] [-metric M] [run flags] [-out DIR]

Finds the value of PARAM at which A and B change places. Every probe runs A and
B at one value of PARAM in -forks separate processes (6 by default, the fewest
with which the forks can separate two implementations), paired fork by fork,
and takes A's advantage over B with its 95% between-fork interval (Wilcoxon
signed-rank test, as the verdicts do). Both ends first; when A leads at both a
grid of -grid points, else bisection of the bracket where the lead changes, at
most -steps probes, stopping early when neither end of the bracket is
separated. Prints the crossover with its interval, or who is ahead over the
whole range with the smallest margin.

PARAM is one of read-ratio, concurrency, cpu, keys, work, hold, rps, e.g.
  loadgen crossover -impl mutex,rwmutex -vary read-ratio=0..1 -concurrency 8
  loadgen crossover -impl map-rwmutex,map-xsync -vary keys=1..100000
  loadgen crossover -impl mutex,rwmutex -vary concurrency=1..64 -read-ratio 0.99

Every other flag of the run command (-duration, -warmup, -forks, -count, -cpu,
family flags, ...) is passed to each probe; -duration is each cell's time per
probe, split among the forks. A probe costs about forks × (2 × (duration/forks
+ warmup) + 0.3s); a search makes at most grid + steps probes.
With -out: crossover.json (schema syncbench/crossover/v1), crossover.png and
.svg (the ratio against PARAM with its band), and every probe's results under
probes/, which loadgen report reads.`

// crossoverParam is a parameter -vary can vary: the run flag it sets, how
// its values are read and written, and its scale.
type crossoverParam struct {
	flag     string
	integer  bool
	log      bool
	duration bool
	// check returns why v is not a value of it, "" when it is.
	check func(v float64) string
}

var crossoverParams = map[string]crossoverParam{
	"read-ratio":  {flag: "read-ratio", check: func(v float64) string { return inRange(v, 0, 1, "a fraction in [0,1]") }},
	"concurrency": {flag: "concurrency", integer: true, log: true, check: func(v float64) string { return inRange(v, 1, 1<<20, "a whole number of workers, 1 or more") }},
	"cpu":         {flag: "cpu", integer: true, log: true, check: func(v float64) string { return inRange(v, 1, maxCPU, "a whole GOMAXPROCS, 1 or more") }},
	"keys":        {flag: "keys", integer: true, log: true, check: func(v float64) string { return inRange(v, 1, math.MaxInt32, "a whole number of keys, 1 or more") }},
	"work":        {flag: "work", integer: true, log: true, duration: true, check: func(v float64) string { return inRange(v, 0, float64(time.Second), "a duration from 0 to 1s") }},
	"hold":        {flag: "hold", integer: true, log: true, duration: true, check: func(v float64) string { return inRange(v, 0, float64(time.Second), "a duration from 0 to 1s") }},
	"rps":         {flag: "rps", integer: true, log: true, check: func(v float64) string { return inRange(v, 1, 1e9, "an offered rate in ops/s, 1 or more") }},
}

func inRange(v, lo, hi float64, want string) string {
	if !(v >= lo && v <= hi) {
		return "allowed: " + want
	}
	return ""
}

// crossoverParamNames lists the parameters for messages.
const crossoverParamNames = "read-ratio, concurrency, cpu, keys, work, hold, rps"

// parseValue reads one end of a -vary range.
func (cp crossoverParam) parseValue(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if cp.duration {
		if s == "0" {
			return 0, nil
		}
		d, err := time.ParseDuration(s)
		return float64(d), err
	}
	if cp.integer {
		n, err := strconv.ParseInt(s, 10, 64)
		return float64(n), err
	}
	return strconv.ParseFloat(s, 64)
}

// format writes a value as the run flag takes it.
func (cp crossoverParam) format(v float64) string {
	switch {
	case cp.duration:
		return time.Duration(math.Round(v)).String()
	case cp.integer:
		return strconv.FormatInt(int64(math.Round(v)), 10)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// show prints a value for a reader: "0.75", "64", "1.5µs".
func (cp crossoverParam) show(v float64) string {
	switch {
	case cp.duration:
		return units.Duration(math.Round(v))
	case cp.integer:
		return strconv.FormatInt(int64(math.Round(v)), 10)
	}
	return units.Trim(strconv.FormatFloat(v, 'f', 3, 64))
}

// parseVary parses -vary NAME=LO..HI.
func parseVary(s string) (crossoverParam, crossover.Range, error) {
	name, span, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	cp, known := crossoverParams[name]
	if !ok || !known {
		if !known && name != "" {
			names := strings.Split(crossoverParamNames, ", ")
			return cp, crossover.Range{}, fmt.Errorf("-vary %q: no parameter %q%s (allowed: %s)", s, name, didYouMean(name, names, ""), crossoverParamNames)
		}
		return cp, crossover.Range{}, fmt.Errorf("-vary %q is not PARAM=LO..HI (e.g. read-ratio=0..1; PARAM one of %s)", s, crossoverParamNames)
	}
	los, his, ok := strings.Cut(span, "..")
	lo, err1 := cp.parseValue(los)
	hi, err2 := cp.parseValue(his)
	if !ok || err1 != nil || err2 != nil {
		return cp, crossover.Range{}, fmt.Errorf("-vary %q: the range is not LO..HI in %s's units (e.g. %s=%s)", s, name, name, map[string]string{
			"read-ratio": "0..1", "concurrency": "1..64", "cpu": "1..8", "keys": "1..100000", "work": "0..1us", "hold": "0..1ms", "rps": "1000..100000"}[name])
	}
	for _, v := range []float64{lo, hi} {
		if why := cp.check(v); why != "" {
			return cp, crossover.Range{}, fmt.Errorf("-vary %q: %s is out of range (%s)", s, cp.show(v), why)
		}
	}
	if !(lo < hi) || (cp.integer && hi-lo < 1) {
		return cp, crossover.Range{}, fmt.Errorf("-vary %q: LO must be below HI (allowed: e.g. %s=%s..%s)", s, name, cp.show(math.Min(lo, hi)), cp.show(math.Max(lo, hi)+1))
	}
	return cp, crossover.Range{Name: name, Lo: lo, Hi: hi, Integer: cp.integer, Log: cp.log && lo > 0}, nil
}

// crossoverMetrics are the figures -metric compares: the headline figure's
// name and whether higher is better.
var crossoverMetrics = map[string]struct {
	headline string
	higher   bool
	label    string
}{
	"throughput": {"achieved_rate", true, "throughput"},
	"p50":        {"response_p50_ns", false, "response p50"},
	"p99":        {"response_p99_ns", false, "response p99"},
	"p999":       {"response_p999_ns", false, "response p99.9"},
	"svc-p99":    {"service_p99_ns", false, "service p99"},
	"cpu":        {"cpu_ns_per_op", false, "CPU/op"},
}

// crossoverOwnFlags are the flags the crossover reads itself and does not
// pass to its probes.
var crossoverOwnFlags = map[string]bool{
	"vary": true, "steps": true, "grid": true, "metric": true,
	"out": true, "force": true, "quiet": true, "format": true,
}

// crossoverNotFlags are run flags that mean nothing to a crossover.
var crossoverNotFlags = map[string]string{
	"threshold":       "a crossover compares two implementations; it checks no threshold",
	"threshold-abort": "a crossover compares two implementations; it checks no threshold",
	"junit":           "a crossover checks no threshold",
}

// crossoverRun is a validated crossover command.
type crossoverRun struct {
	fs           *pflag.FlagSet
	param        crossoverParam
	rng          crossover.Range
	opt          crossover.Options
	a, b         string
	metric       string
	headline     string
	higherBetter bool
	out          string
	format       string
	quiet        bool
	forks        int
	command      string
	createdOut   bool
}

// runCrossover implements `loadgen crossover`.
func runCrossover(ctx context.Context, args []string, std stdio) int {
	cr, code := parseCrossover(args, std)
	if cr == nil {
		return code
	}
	return cr.run(ctx, std)
}

// parseCrossover checks the whole command line before anything runs: the
// flags, the range, and the probes' plans at both ends (every check the run
// command makes), then -out, which it creates last.
func parseCrossover(args []string, std stdio) (*crossoverRun, int) {
	var rf runFlags
	fs := newRunFlagSet(&rf)
	vary := fs.String("vary", "", "the parameter and its range, PARAM=LO..HI: "+crossoverParamNames+" (e.g. read-ratio=0..1, concurrency=1..64, hold=0..1ms)")
	steps := fs.Int("steps", crossover.DefaultOptions.Steps, "most bisection probes after the ends (and the grid)")
	grid := fs.Int("grid", crossover.DefaultOptions.Grid, "points, ends included, probed when one implementation leads at both ends")
	metric := fs.String("metric", "", "the figure compared: throughput, p50, p99, p999, svc-p99 or cpu (default throughput; p99 for an open loop)")
	if err := parseFlagSet(fs, args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(std.stdout, "%s\n\nflags (and every flag of the run command, see loadgen help):\n%s", crossoverUsage, crossoverFlagUsages(fs))
			return nil, ExitOK
		}
		return nil, badInput(std.stderr, "crossover: %v", err)
	}
	if fs.NArg() > 0 {
		return nil, badInput(std.stderr, "crossover: unexpected argument %q (flags only)", fs.Arg(0))
	}
	cr := &crossoverRun{fs: fs, out: rf.out, format: rf.format, quiet: rf.quiet, opt: crossover.Options{Steps: *steps, Grid: *grid},
		command: "loadgen crossover " + strings.Join(redactArgs(args), " ")}
	var err error
	for name, why := range crossoverNotFlags {
		if fs.Changed(name) {
			return nil, badInput(std.stderr, "crossover: -%s does not apply: %s", name, why)
		}
	}
	if !fs.Changed("impl") {
		return nil, badInput(std.stderr, "crossover: -impl A,B is required: the two implementations to compare")
	}
	chosen, err := impls.Resolve(rf.impl)
	if err != nil {
		return nil, badInput(std.stderr, "crossover: -impl: %v", err)
	}
	if len(chosen) != 2 {
		return nil, badInput(std.stderr, "crossover: -impl %q names %d implementations (allowed: exactly two, A,B)", rf.impl, len(chosen))
	}
	cr.a, cr.b = chosen[0].Name, chosen[1].Name
	if *vary == "" {
		return nil, badInput(std.stderr, "crossover: -vary PARAM=LO..HI is required (PARAM one of %s)", crossoverParamNames)
	}
	if cr.param, cr.rng, err = parseVary(*vary); err != nil {
		return nil, badInput(std.stderr, "crossover: %v", err)
	}
	if fs.Changed(cr.param.flag) {
		return nil, badInput(std.stderr, "crossover: -%s is given and also varied by -vary %s (allowed: one of them)", cr.param.flag, *vary)
	}
	if *steps < 0 || *steps > 20 {
		return nil, badInput(std.stderr, "crossover: -steps %d is out of range (allowed: 0 to 20)", *steps)
	}
	if *grid < 2 || *grid > 20 {
		return nil, badInput(std.stderr, "crossover: -grid %d is out of range (allowed: 2 to 20, the ends included)", *grid)
	}
	if cr.format != "text" && cr.format != "json" {
		return nil, badInput(std.stderr, "crossover: -format %q is not allowed (allowed: text, json)", cr.format)
	}
	open := (fs.Changed("rps") && rf.rps != "0") || cr.rng.Name == "rps"
	cr.metric = *metric
	if cr.metric == "" {
		cr.metric = map[bool]string{true: "p99", false: "throughput"}[open]
	}
	m, ok := crossoverMetrics[cr.metric]
	if !ok {
		return nil, badInput(std.stderr, "crossover: -metric %q is not a figure it compares%s (allowed: throughput, p50, p99, p999, svc-p99, cpu)",
			cr.metric, didYouMean(cr.metric, []string{"throughput", "p50", "p99", "p999", "svc-p99", "cpu"}, ""))
	}
	cr.headline, cr.higherBetter = m.headline, m.higher
	// The probes' plans at both ends: every rule of the run command, and one
	// cell per implementation in forks.
	for _, x := range []float64{cr.rng.Lo, cr.rng.Hi} {
		p, err := cr.probePlan(x)
		if err != nil {
			return nil, badInput(std.stderr, "crossover: at %s=%s: %v", cr.rng.Name, cr.param.show(x), err)
		}
		cr.forks = p.forks
	}
	if cr.out != "" {
		if err := checkOutDir(cr.out, rf.force); err != nil {
			return nil, badInput(std.stderr, "crossover: %v", err)
		}
		_, statErr := os.Stat(cr.out)
		if err := checkWritableDir(cr.out); err != nil {
			return nil, badInput(std.stderr, "crossover: -out %q is not a writable directory: %v", cr.out, err)
		}
		cr.createdOut = errors.Is(statErr, os.ErrNotExist)
	}
	return cr, ExitOK
}

// crossoverFlagUsages prints the flags the crossover reads itself, with
// what each means to it (the run command's -impl, -out, -format and -quiet
// mean something else there).
func crossoverFlagUsages(fs *pflag.FlagSet) string {
	own := pflag.NewFlagSet("crossover", pflag.ContinueOnError)
	own.SortFlags = false
	own.String("impl", "", "the two implementations, A,B (required); ratios are A's advantage over B")
	for _, name := range []string{"vary", "steps", "grid", "metric"} {
		own.AddFlag(fs.Lookup(name))
	}
	own.StringP("out", "o", "", "directory for crossover.json, crossover.png/.svg and the probes' results (probes/)")
	own.Bool("force", false, "write into an -out directory that already holds results")
	own.String("format", "text", "stdout format: text (the probes' table and the answer) or json (crossover.json)")
	own.Bool("quiet", false, "no progress lines on stderr")
	return own.FlagUsages()
}

// probeArgs is the run command line of the probe at x: every run flag given
// but the crossover's own, then the varied parameter.
func (cr *crossoverRun) probeArgs(x float64) []string {
	var args []string
	cr.fs.Visit(func(fl *pflag.Flag) {
		if crossoverOwnFlags[fl.Name] {
			return
		}
		if sv, ok := fl.Value.(pflag.SliceValue); ok {
			for _, v := range sv.GetSlice() {
				args = append(args, "--"+fl.Name+"="+v)
			}
			return
		}
		args = append(args, "--"+fl.Name+"="+childFlagValue(fl))
	})
	return append(args, "--"+cr.param.flag+"="+cr.param.format(x))
}

// probePlan is the run command's plan of the probe at x, checked as the run
// command checks its own (but for files: a probe writes only where the
// crossover puts it).
func (cr *crossoverRun) probePlan(x float64) (*plan, error) {
	p, err := parseFlags(cr.probeArgs(x))
	if err != nil {
		return nil, err
	}
	p.buildCells()
	if errs := p.validate(); len(errs) > 0 {
		return nil, errs[0]
	}
	if len(p.cells) != 2 {
		return nil, fmt.Errorf("a probe must run one cell of each implementation, and these flags sweep %d cells (allowed: one value each of -concurrency, -rps, -cpu, -gogc, -memlimit)", len(p.cells))
	}
	if p.forks < 2 {
		why := p.forkConflict()
		if why == "" {
			why = fmt.Sprintf("-forks %d", p.forks)
		}
		return nil, fmt.Errorf("a crossover pairs the two implementations fork by fork, and this run is one process (%s) (allowed: -forks 2 or more, 6 or more to separate them)", why)
	}
	if err := p.checkTargets(); err != nil {
		return nil, err
	}
	return p, nil
}

// probeOutcome is one probe's measurement beside the search's Point.
type probeOutcome struct {
	x        float64
	cmp      reports.PairComparison
	dir      string
	duration time.Duration
}

func (cr *crossoverRun) run(ctx context.Context, std stdio) int {
	exe, err := selfExecutable()
	if err != nil {
		fmt.Fprintf(std.stderr, "loadgen: finding the loadgen binary to start: %v\n", err)
		return ExitRunFailed
	}
	start := time.Now()
	probes := map[float64]probeOutcome{}
	var interrupted bool
	measure := func(ctx context.Context, n int, x float64) (crossover.Point, error) {
		p, err := cr.probePlan(x)
		if err != nil {
			return crossover.Point{}, fmt.Errorf("probe at %s=%s: %v", cr.rng.Name, cr.param.show(x), err)
		}
		dir := ""
		if cr.out != "" {
			dir = filepath.Join("probes", cr.rng.Name+"="+cr.param.format(x))
		}
		if !cr.quiet {
			fmt.Fprintf(std.stderr, "[crossover probe %d] %s=%s: %s and %s in %d forks ...\n", n+1, cr.rng.Name, cr.param.show(x), cr.a, cr.b, p.forks)
		}
		t0 := time.Now()
		fp := forks.Plan{
			Exe:   exe,
			Forks: p.forks,
			Args: func(fork int, d string) []string {
				return forkArgs(p.fs, forks.Role{Fork: fork, Of: p.forks}, p.flags.duration, d)
			},
			Env:     childEnv(p.fs),
			Command: cr.command,
		}
		if dir != "" {
			fp.Out = filepath.Join(cr.out, dir)
		}
		res, err := forks.Run(ctx, fp)
		var refused *forks.InputError
		switch {
		case errors.As(err, &refused):
			return crossover.Point{}, fmt.Errorf("probe at %s=%s: a fork refused its flags: %s", cr.rng.Name, cr.param.show(x), refused.Msg)
		case err != nil:
			return crossover.Point{}, err
		case len(res.Failures) > 0:
			return crossover.Point{}, errors.New(strings.Join(res.Failures, "; "))
		case res.Interrupted:
			interrupted = true
			return crossover.Point{}, context.Canceled
		}
		cmp, err := reports.ComparePair(res.Results, cr.a, cr.b, cr.headline, cr.higherBetter)
		if err != nil {
			return crossover.Point{}, fmt.Errorf("probe at %s=%s: %v", cr.rng.Name, cr.param.show(x), err)
		}
		probes[x] = probeOutcome{x: x, cmp: cmp, dir: dir, duration: time.Since(t0)}
		if !cr.quiet {
			fmt.Fprintf(std.stderr, "  %s=%s: %s\n", cr.rng.Name, cr.param.show(x), cr.pointText(cmp))
		}
		return crossover.Point{Ratio: cmp.Ratio, Lo: cmp.Lo, Hi: cmp.Hi, Separated: cmp.Separated}, nil
	}
	o, searchErr := crossover.Find(ctx, cr.rng, cr.opt, measure)
	summary := cr.summary(o)
	doc := cr.document(o, probes, summary, start)
	code := ExitOK
	if cr.out != "" && len(o.Points) > 0 {
		if err := cr.writeFiles(doc, o); err != nil {
			fmt.Fprintf(std.stderr, "loadgen: writing the crossover: %v\n", describeWriteError(err))
			code = ExitRunFailed
		}
	}
	if cr.createdOut && len(o.Points) == 0 {
		_ = os.RemoveAll(filepath.Join(cr.out, "probes"))
		_ = os.Remove(cr.out)
	}
	var perr error
	if cr.format == "json" {
		b, err := doc.Marshal()
		if err == nil {
			_, err = std.stdout.Write(b)
		}
		perr = err
	} else {
		perr = cr.printText(std.stdout, o, probes, summary)
	}
	if perr != nil {
		fmt.Fprintf(std.stderr, "loadgen: printing the crossover: %v\n", describeWriteError(perr))
		return ExitRunFailed
	}
	switch {
	case interrupted || ctx.Err() != nil:
		fmt.Fprintf(std.stderr, "loadgen: interrupted after %d probes; the answer above is from those\n", len(o.Points))
		return ExitInterrupted
	case searchErr != nil:
		fmt.Fprintf(std.stderr, "loadgen: %v\n", searchErr)
		return ExitRunFailed
	}
	return code
}

// ratioName says what a ratio is: "throughput mutex/rwmutex" or, for a
// figure where lower is better, "response p99 rwmutex/mutex": A's advantage
// either way.
func (cr *crossoverRun) ratioName() string {
	label := crossoverMetrics[cr.metric].label
	if cr.higherBetter {
		return label + " " + cr.a + "/" + cr.b
	}
	return label + " " + cr.b + "/" + cr.a
}

// formatFigure prints a value of the compared figure.
func (cr *crossoverRun) formatFigure(v float64) string {
	if cr.headline == "achieved_rate" {
		return units.Rate(v)
	}
	return units.Duration(v)
}

// intervalText prints a ratio's interval, or says it has none.
func intervalText(lo, hi float64) string {
	if lo > 0 && !math.IsInf(hi, 0) {
		return units.Ratio(lo, 1) + "–" + units.Ratio(hi, 1)
	}
	return "none"
}

// pointText describes one probe: "1.23× (95% CI 1.10×–1.40×), mutex ahead".
func (cr *crossoverRun) pointText(c reports.PairComparison) string {
	who := "not separated"
	if c.Separated {
		who = cr.a + " ahead"
		if c.Ratio < 1 {
			who = cr.b + " ahead"
		}
	}
	return fmt.Sprintf("%s %s (95%% CI %s), %s; %s %s, %s %s", cr.ratioName(), units.Ratio(c.Ratio, 1), intervalText(c.Lo, c.Hi), who,
		cr.a, cr.formatFigure(c.A.Median), cr.b, cr.formatFigure(c.B.Median))
}

func (cr *crossoverRun) sideName(s crossover.Side) string {
	switch s {
	case crossover.A:
		return cr.a
	case crossover.B:
		return cr.b
	}
	return "neither"
}

// summary is the answer in one paragraph.
func (cr *crossoverRun) summary(o crossover.Outcome) string {
	name := cr.rng.Name
	show := cr.param.show
	rangeText := show(cr.rng.Lo) + ".." + show(cr.rng.Hi)
	if len(o.Points) == 0 {
		return "no probe completed: nothing is known"
	}
	point := func(x float64) crossover.Point {
		for _, p := range o.Points {
			if p.X == x {
				return p
			}
		}
		return crossover.Point{}
	}
	describe := func(p crossover.Point) string {
		return fmt.Sprintf("%s at %s=%s (95%% CI %s)", units.Ratio(p.Ratio, 1), name, show(p.X), intervalText(p.Lo, p.Hi))
	}
	var s string
	switch o.Kind {
	case crossover.WholeRange:
		leader := cr.sideName(o.Leader)
		if o.AllSeparated {
			s = fmt.Sprintf("%s ahead over the whole range %s=%s: the smallest margin is %s", leader, name, rangeText, describe(o.Margin))
		} else {
			var tied []string
			for _, p := range o.Points {
				if !p.Separated {
					tied = append(tied, show(p.X))
				}
			}
			s = fmt.Sprintf("no crossover found over %s=%s: %s leads by the estimate at every probe, the least by %s, but the forks do not separate the two at %s=%s",
				name, rangeText, leader, describe(o.Margin), name, strings.Join(tied, ", "))
		}
	case crossover.NotSeparated:
		s = fmt.Sprintf("no order to flip over %s=%s: the estimates cross between %s and %s (%s ahead below, %s above), but the forks separate neither implementation at any probe (more forks or a longer -duration narrow the intervals)",
			name, rangeText, show(o.Lo), show(o.Hi), cr.sideName(o.Below), cr.sideName(o.Above))
	case crossover.Flip:
		lo, hi := point(o.Lo), point(o.Hi)
		s = fmt.Sprintf("%s starts to win at %s ≈ %s: the order flips between %s=%s (%s ahead, %s) and %s=%s (%s ahead, %s)",
			cr.sideName(o.Above), name, show(o.Estimate), name, show(o.Lo), cr.sideName(o.Below), describe(lo), name, show(o.Hi), cr.sideName(o.Above), describe(hi))
		switch {
		case !o.SeparatedBelow:
			s += fmt.Sprintf("; the forks separate %s ahead above it, but not %s below", cr.sideName(o.Above), cr.sideName(o.Below))
		case !o.SeparatedAbove:
			s += fmt.Sprintf("; the forks separate %s ahead below it, but not %s above", cr.sideName(o.Below), cr.sideName(o.Above))
		}
		switch o.Resolved {
		case "not separated":
			s += "; neither end of that interval is separated, so the forks cannot place the crossover closer"
		case "steps":
			s += fmt.Sprintf("; -steps %d ran out (more steps narrow the interval)", cr.opt.Steps)
		}
		if o.Flips > 1 {
			s += fmt.Sprintf("; the estimates change sign %d times along the probes: the order flips back within the range, and this is the first flip", o.Flips)
		}
	}
	return s
}

// printText prints the probes' table and the answer.
func (cr *crossoverRun) printText(w io.Writer, o crossover.Outcome, probes map[float64]probeOutcome, summary string) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "crossover of %s and %s on %s over %s=%s..%s (%d forks per probe, %d probes)\n",
		cr.a, cr.b, crossoverMetrics[cr.metric].label, cr.rng.Name, cr.param.show(cr.rng.Lo), cr.param.show(cr.rng.Hi), cr.forks, len(o.Points))
	rows := [][]string{{cr.rng.Name, cr.a, cr.b, cr.ratioName(), "95% CI", "forks say"}}
	for _, pt := range o.Points {
		pr := probes[pt.X]
		fig := func(f reports.Figure) string {
			return fmt.Sprintf("%s (%s–%s)", cr.formatFigure(f.Median), cr.formatFigure(f.Min), cr.formatFigure(f.Max))
		}
		say := "not separated"
		if pt.Side() != crossover.Neither {
			say = cr.sideName(pt.Side()) + " ahead"
		}
		rows = append(rows, []string{cr.param.show(pt.X), fig(pr.cmp.A), fig(pr.cmp.B), units.Ratio(pt.Ratio, 1), intervalText(pt.Lo, pt.Hi), say})
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString("  " + c + strings.Repeat(" ", widths[i]-len([]rune(c))))
		}
		fmt.Fprintln(ew, strings.TrimRight(b.String(), " "))
	}
	fmt.Fprintf(ew, "%s (median across forks, min–max); %s > 1: %s better. The interval and the test are the verdicts' (Wilcoxon signed-rank on the paired forks).\n",
		crossoverMetrics[cr.metric].label, cr.ratioName(), cr.a)
	fmt.Fprintf(ew, "\n%s.\n", capitalizeFirst(summary))
	if cr.out != "" {
		fmt.Fprintf(ew, "\nwritten: %s, %s.png/.svg, the probes' results under %s\n", filepath.Join(cr.out, crossoverFile),
			filepath.Join(cr.out, reports.CrossoverPlotName), filepath.Join(cr.out, "probes"))
	}
	return ew.err
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(b []byte) (int, error) {
	if e.err != nil {
		return len(b), nil
	}
	_, e.err = e.w.Write(b)
	return len(b), nil
}

// capitalizeFirst capitalizes a summary that starts with a word of its own
// ("no crossover ..."); one that starts with an implementation's name keeps
// the name as it is spelt.
func capitalizeFirst(s string) string {
	if rest, ok := strings.CutPrefix(s, "no "); ok {
		return "No " + rest
	}
	return s
}

// crossoverFile is the crossover document's name in -out.
const crossoverFile = "crossover.json"

func (cr *crossoverRun) document(o crossover.Outcome, probes map[float64]probeOutcome, summary string, start time.Time) *crossover.Document {
	d := &crossover.Document{Schema: crossover.Schema, Command: cr.command, Start: crossover.StartTime(start),
		A: cr.a, B: cr.b, Metric: cr.metric, HigherBetter: cr.higherBetter, Param: cr.rng.Name, Lo: cr.rng.Lo, Hi: cr.rng.Hi,
		Forks: cr.forks, Steps: cr.opt.Steps, Grid: cr.opt.Grid, Probes: []crossover.DocProbe{}}
	d.Outcome = crossover.DocOutcome{Kind: string(o.Kind), Summary: summary, Flips: o.Flips, Probes: o.Probes}
	switch o.Kind {
	case crossover.Flip, crossover.NotSeparated:
		d.Outcome.Lo, d.Outcome.Hi, d.Outcome.Estimate = crossover.Finite(o.Lo), crossover.Finite(o.Hi), crossover.Finite(o.Estimate)
		d.Outcome.Below, d.Outcome.Above = crossover.SideName(o.Below), crossover.SideName(o.Above)
		d.Outcome.SeparatedBelow, d.Outcome.SeparatedAbove, d.Outcome.Resolved = o.SeparatedBelow, o.SeparatedAbove, o.Resolved
	case crossover.WholeRange:
		d.Outcome.Leader, d.Outcome.AllSeparated, d.Outcome.MarginX = crossover.SideName(o.Leader), o.AllSeparated, crossover.Finite(o.Margin.X)
	}
	for _, pt := range o.Points {
		pr := probes[pt.X]
		var lo, hi *float64
		if pt.Lo > 0 && !math.IsInf(pt.Hi, 0) { // else the forks give no interval
			lo, hi = crossover.Finite(pt.Lo), crossover.Finite(pt.Hi)
		}
		d.Probes = append(d.Probes, crossover.DocProbe{X: pt.X, Ratio: pt.Ratio, Lo: lo, Hi: hi,
			Separated: pt.Separated, P: crossover.Finite(pr.cmp.P), Pairs: pr.cmp.Pairs, Test: pr.cmp.Evidence,
			AMedian: pr.cmp.A.Median, AMin: pr.cmp.A.Min, AMax: pr.cmp.A.Max,
			BMedian: pr.cmp.B.Median, BMin: pr.cmp.B.Min, BMax: pr.cmp.B.Max,
			Dir: pr.dir, DurationNs: int64(pr.duration)})
	}
	return d
}

// writeFiles writes crossover.json and the plot into -out.
func (cr *crossoverRun) writeFiles(doc *crossover.Document, o crossover.Outcome) error {
	b, err := doc.Marshal()
	if err != nil {
		return err
	}
	if err := result.WriteFileAtomic(filepath.Join(cr.out, crossoverFile), b); err != nil {
		return err
	}
	pl := reports.CrossoverPlot{
		Title:  fmt.Sprintf("%s vs %s: where the order flips (%d forks per probe)", cr.a, cr.b, cr.forks),
		XLabel: cr.rng.Name, YLabel: cr.ratioName(), LogX: cr.rng.Log, Points: o.Points,
	}
	if cr.param.duration {
		pl.XLabel += " (ns)"
	}
	if o.Kind == crossover.Flip {
		pl.Bracket, pl.Lo, pl.Hi, pl.Estimate = true, o.Lo, o.Hi, o.Estimate
	}
	return reports.WriteCrossoverPlot(cr.out, pl)
}
