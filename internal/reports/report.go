package reports

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/result"
	"golang.org/x/sync/errgroup"
	"gonum.org/v1/plot/vg/draw"
	_ "gonum.org/v1/plot/vg/vgeps" // registers eps
	_ "gonum.org/v1/plot/vg/vgpdf" // registers pdf
)

// ReportOptions tune WriteReport. The zero value is a full report.
type ReportOptions struct {
	// Context, when set, stops the report when it is done (SIGINT during
	// `loadgen report`): no figure starts after it, and no text file is
	// written; WriteReport returns its error. A nil Context never stops it.
	Context context.Context
	// Title heads report.md; "syncbench report" when empty.
	Title string
	// Command is the command line that built the report, shown in the provenance
	// block beside the commands that produced the results. Optional.
	Command string
	// NoPlots skips the plots: report.md then holds the tables only.
	NoPlots bool
	// Percentiles are the response-time percentiles the tables show, in percent
	// (default 50, 90, 99, 99.9); a max column always follows. Result files keep
	// the full histograms, so any percentile can be shown later.
	Percentiles []float64
	// Formats are the image formats of every plot, from "png", "svg", "pdf",
	// "eps" (default png and svg). The first is the one embedded in report.md;
	// the others are linked.
	Formats []string
	// MaxTimelines bounds the tiles of a family's timeline figure (0 means 60),
	// because a large sweep would otherwise spend most of the report's time on
	// them and give tiles too small to read.
	MaxTimelines int
}

// Files WriteReport writes inside its output directory.
const (
	ReportFile  = "report.md"
	CSVFile     = "results.csv"
	BenchFile   = "bench.txt"
	PlotsSubdir = "plots"
)

// WriteReport writes report.md, report.html (the same report, self-contained,
// its plots inline as SVG), results.csv, bench.txt and plots/ (PNG and SVG) for
// results into outDir, creating it if needed. Every file is written through a
// temporary file and a rename, so a reader never sees half a file; report.md is
// written last. A figure that cannot be drawn is named in report.md instead of
// failing the report. results must not be empty. Plots are rendered in parallel,
// on up to GOMAXPROCS goroutines.
func WriteReport(outDir string, results []*result.Result, opts ReportOptions) error {
	if len(results) == 0 {
		return errors.New("no results to report")
	}
	if opts.MaxTimelines == 0 {
		opts.MaxTimelines = 60
	}
	if len(opts.Formats) == 0 {
		opts.Formats = defaultPlotFormats
	}
	for _, f := range opts.Formats {
		if _, err := draw.NewFormattedCanvas(1, 1, f); err != nil {
			return fmt.Errorf("plot format %q: %v (allowed: png, svg, pdf, eps)", f, err)
		}
	}
	plotDir := filepath.Join(outDir, PlotsSubdir)
	if err := os.MkdirAll(plotDir, 0o755); err != nil {
		return err
	}

	var csvBuf, benchBuf, cellsCSV, cellsJSON bytes.Buffer
	if err := WriteCSV(&csvBuf, results); err != nil {
		return err
	}
	if err := WriteCellsCSV(&cellsCSV, results); err != nil {
		return err
	}
	if err := WriteCellsJSONL(&cellsJSON, results); err != nil {
		return err
	}
	if err := WriteBenchfmt(&benchBuf, results); err != nil {
		return err
	}

	rb := &reportBuilder{opts: opts, names: map[string]int{}}
	rb.build(results)

	plotErrs := map[string]error{}
	svgs := map[string][]byte{} // by figure name, inlined in report.html
	if !opts.NoPlots {
		// report.html inlines every figure as SVG, so SVG is drawn even when
		// no SVG file is asked for.
		render := opts.Formats
		if !slices.Contains(render, "svg") {
			render = append(slices.Clip(render), "svg")
		}
		var mu sync.Mutex
		var g errgroup.Group
		g.SetLimit(runtime.GOMAXPROCS(0))
		for _, f := range rb.figures {
			g.Go(func() error {
				if opts.Context != nil && opts.Context.Err() != nil {
					return nil
				}
				files, err := renderFigure(f, render)
				for _, format := range opts.Formats {
					if err != nil {
						break
					}
					err = result.WriteFileAtomic(filepath.Join(plotDir, f.name+"."+format), files[format])
				}
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					plotErrs[f.name] = err
				} else {
					svgs[f.name] = files["svg"]
				}
				return nil
			})
		}
		_ = g.Wait()
	}
	if opts.Context != nil && opts.Context.Err() != nil {
		return opts.Context.Err()
	}

	md := rb.markdown(plotErrs)
	page, err := rb.html(plotErrs, svgs)
	if err != nil {
		return fmt.Errorf("%s: %v", HTMLFile, err)
	}
	// Every file is tried, and the first failure returned: on a full disk the
	// others may still fit, and the first error names the file that did not.
	var first error
	for _, f := range []struct {
		name string
		data []byte
	}{{CSVFile, csvBuf.Bytes()}, {CellsCSVFile, cellsCSV.Bytes()}, {CellsJSONLFile, cellsJSON.Bytes()}, {BenchFile, benchBuf.Bytes()}, {HTMLFile, page}, {ReportFile, md}} {
		if err := result.WriteFileAtomic(filepath.Join(outDir, f.name), f.data); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// reportBuilder lays out report.md: text parts and figure placeholders, so the
// figures can be rendered (in parallel) before the text that embeds them is final.
type reportBuilder struct {
	opts    ReportOptions
	title   string
	hists   map[*result.Result]*histogramCache // decoded response histograms, for percentiles not stored
	parts   []part
	figures []figure
	names   map[string]int // slug uses, to keep file names unique
}

// histogramCache holds a decoded histogram or why it could not be decoded.
type histogramCache struct {
	h   *hdr.Histogram
	err error
}

// part is a piece of report.md: text, or a figure reference.
type part struct {
	text string
	fig  int // index into figures, or -1 for text
}

func (rb *reportBuilder) printf(format string, args ...any) {
	rb.parts = append(rb.parts, part{text: fmt.Sprintf(format, args...), fig: -1})
}

func (rb *reportBuilder) addFigure(f figure) {
	if rb.opts.NoPlots {
		return
	}
	f.name = rb.uniqueName(f.name)
	rb.figures = append(rb.figures, f)
	rb.parts = append(rb.parts, part{fig: len(rb.figures) - 1})
}

// uniqueName makes a file-name-safe slug of s, unique within the report.
func (rb *reportBuilder) uniqueName(s string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(s) {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	slug := strings.Trim(b.String(), "-.")
	if slug == "" {
		slug = "plot"
	}
	rb.names[slug]++
	if n := rb.names[slug]; n > 1 {
		slug = fmt.Sprintf("%s-%d", slug, n)
	}
	return slug
}

// markdown joins the parts, embedding each figure's PNG (with a link to its SVG)
// or naming the error that kept it from being drawn.
func (rb *reportBuilder) markdown(plotErrs map[string]error) []byte {
	var b bytes.Buffer
	for _, p := range rb.parts {
		if p.fig < 0 {
			b.WriteString(p.text)
			continue
		}
		f := rb.figures[p.fig]
		if err := plotErrs[f.name]; err != nil {
			b.WriteString(plotErrorLine(f, err))
			continue
		}
		fmt.Fprintf(&b, "![%s](%s/%s.%s)\n\n", f.title, PlotsSubdir, f.name, rb.opts.Formats[0])
		var links []string
		for _, format := range rb.opts.Formats[1:] {
			links = append(links, fmt.Sprintf("[%s](%s/%s.%s)", strings.ToUpper(format), PlotsSubdir, f.name, format))
		}
		if len(links) > 0 {
			fmt.Fprintf(&b, "%s\n\n", strings.Join(links, " · "))
		}
	}
	return b.Bytes()
}

// build lays out the whole report.
func (rb *reportBuilder) build(results []*result.Result) {
	rb.title = rb.opts.Title
	if rb.title == "" {
		rb.title = "syncbench report"
	}
	rb.printf("# %s\n\n", rb.title)

	cells := GroupCells(results)
	var families []string
	byFamily := map[string][]*Cell{}
	for _, c := range cells {
		if _, ok := byFamily[c.Family]; !ok {
			families = append(families, c.Family)
		}
		byFamily[c.Family] = append(byFamily[c.Family], c)
	}
	// The verdict comes first: the answer, then the evidence.
	rb.printf("## Verdict\n\n")
	for _, v := range Verdicts(results) {
		rb.printf("- %s\n", v)
	}
	rb.printf("\n")
	// The thresholds' verdicts beside the report's: the pass/fail the run was
	// given, before the evidence.
	var th strings.Builder
	_ = WriteThresholds(&th, results) // a strings.Builder never fails
	rb.printf("%s", th.String())
	rb.provenance(results)

	for _, fam := range families {
		fcells := byFamily[fam]
		groups := groupByConfig(fcells)
		name := fam
		if name == "" {
			name = "(no family)"
		}
		rb.printf("## %s\n\n", name)
		rb.summaryTables(groups)
		rb.extrasTables(fcells)
		rb.familySection(fam, fcells)

		for _, g := range groups {
			suffix := ""
			if g.Mode != "" && distinctModes(groups) > 1 {
				suffix = "-" + g.Mode
			}
			// Open loops that kept up all achieve the offered rate: their bars
			// would be equal and say nothing.
			if (len(g.Cells) > 1 || len(g.Cells[0].Runs) > 1) && g.Params.Rate == 0 {
				rb.addFigure(throughputBarsFigure("throughput-"+fam+suffix, g))
			}
			rb.addFigure(spectrumFigure("spectrum-"+fam+suffix, g))
			if lagDominates(g) {
				rb.addFigure(serviceSpectrumFigure("service-spectrum-"+fam+suffix, g))
			}
			if isLimiterFamily(fam) {
				rb.addFigure(limiterFigure("admitted-"+fam+suffix, g))
			}
			for _, group := range []string{adaptiveGroup, breakerGroup} {
				if hasTimeline(g, group) {
					rb.addFigure(resilienceFigure(group+"-timeline-"+fam+suffix, group, g))
				}
			}
		}
		if axis := sweepAxis(fcells); axis != "" {
			rb.addFigure(scalingFigure("scaling-"+fam+"-"+axis, fam, axis, fcells))
		}
		var withSeries []*Cell
		for _, c := range fcells {
			if len(c.MedianRun().Series) > 0 {
				withSeries = append(withSeries, c)
			}
		}
		if len(withSeries) > rb.opts.MaxTimelines {
			rb.printf("_The timeline shows the first %d of %d cells._\n\n", rb.opts.MaxTimelines, len(withSeries))
			withSeries = withSeries[:rb.opts.MaxTimelines]
		}
		if len(withSeries) > 0 {
			rb.addFigure(timelinesFigure("timeline-"+fam, name, withSeries, len(groups) > 1))
		}
	}
}

// distinctModes counts the effective modes among groups.
func distinctModes(groups []*configGroup) int {
	seen := map[string]bool{}
	for _, g := range groups {
		seen[g.Mode] = true
	}
	return len(seen)
}

// provenance writes where and how the results were produced. Fields that differ
// between results list every distinct value.
func (rb *reportBuilder) provenance(results []*result.Result) {
	distinct := func(f func(*result.Result) string) string {
		seen := map[string]bool{}
		var vals []string
		for _, r := range results {
			if v := f(r); v != "" && !seen[v] {
				seen[v] = true
				vals = append(vals, v)
			}
		}
		if len(vals) == 0 {
			return "unknown"
		}
		if len(vals) > 5 {
			return strings.Join(vals[:5], ", ") + fmt.Sprintf(" and %d more", len(vals)-5)
		}
		return strings.Join(vals, ", ")
	}
	rb.printf("## Provenance\n\n")
	rb.printf("| | |\n|---|---|\n")
	if rb.opts.Command != "" {
		rb.printf("| report command | `%s` |\n", mdCell(rb.opts.Command))
	}
	rb.printf("| run command | %s |\n", mdCell(distinct(func(r *result.Result) string {
		if r.Command == "" {
			return ""
		}
		return "`" + r.Command + "`"
	})))
	rb.printf("| commit | %s |\n", mdCell(distinct(func(r *result.Result) string { return r.Env.Commit })))
	rb.printf("| Go version | %s |\n", mdCell(distinct(func(r *result.Result) string { return r.Env.GoVersion })))
	rb.printf("| OS/arch | %s |\n", mdCell(distinct(func(r *result.Result) string {
		if r.Env.GOOS == "" {
			return ""
		}
		return r.Env.GOOS + "/" + r.Env.GOARCH
	})))
	rb.printf("| CPU | %s |\n", mdCell(distinct(func(r *result.Result) string {
		if r.Env.CPUModel == "" && r.Env.NumCPU == 0 {
			return ""
		}
		return fmt.Sprintf("%s (%d logical CPUs)", r.Env.CPUModel, r.Env.NumCPU)
	})))
	rb.printf("| GOMAXPROCS | %s |\n", mdCell(distinct(func(r *result.Result) string {
		if r.Env.GOMAXPROCS == 0 {
			return ""
		}
		return fmt.Sprint(r.Env.GOMAXPROCS)
	})))
	first, last := results[0].Start, results[0].Start
	for _, r := range results {
		if r.Start.Before(first) {
			first = r.Start
		}
		if r.Start.After(last) {
			last = r.Start
		}
	}
	start := first.UTC().Format("2006-01-02 15:04:05 MST")
	if last.After(first) {
		start += " to " + last.UTC().Format("2006-01-02 15:04:05 MST")
	}
	rb.printf("| start | %s |\n", start)
	rb.printf("| harness floor | %s |\n", mdCell(floorText(results)))
	rb.printf("| results | %d runs |\n\n", len(results))
}

// floorText describes the harness floor as the median over results that measured it.
func floorText(results []*result.Result) string {
	var ns, p50 []float64
	method := ""
	for _, r := range results {
		if r.Floor.NsPerOp > 0 {
			ns = append(ns, r.Floor.NsPerOp)
			p50 = append(p50, float64(r.Floor.ResponseP50))
			if method == "" {
				method = r.Floor.Method
				if mode := r.Floor.ModeText(); mode != "" {
					method = mode + "; " + method
				}
			}
		}
	}
	if len(ns) == 0 {
		return "not measured"
	}
	s := fmt.Sprintf("%.1f ns/op, noop response p50 %s", SpreadOf(ns).Median, formatNs(SpreadOf(p50).Median))
	if method != "" {
		s += " (" + method + ")"
	}
	return s + "; differences smaller than this are the harness's, not the target's"
}

// mdCell escapes what would break a markdown table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}
