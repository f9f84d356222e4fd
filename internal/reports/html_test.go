package reports

import (
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

// hostileCommand is a report command line made of what a user string could
// carry into the page: markup, a script, links and an image by address.
const hostileCommand = `loadgen report r/ -title <b>x</b> <script>alert(1)</script> [home](https://example.com/) ![i](https://example.com/i.png) <https://example.com/a>`

// writeHTMLSample writes a small report with plots of two families, one of
// its implementations named with markup, and returns its directory.
func writeHTMLSample(t *testing.T) string {
	t.Helper()
	var results []*result.Result
	for i, impl := range []string{"mutex", "<img src=x onerror=alert(1)>"} {
		results = append(results, makeCell(t, fixture{impl: impl, conc: 4, ops: 500, intervals: 3, baseNs: float64(300 * (i + 1)), seed: uint64(i)}, 2)...)
	}
	results = append(results, makeCell(t, fixture{impl: "tokenbucket", family: "limiters", rate: 2000, conc: 4, ops: 500, intervals: 3, baseNs: 500, denyEvery: 2, limit: "1000"}, 2)...)
	dir := t.TempDir()
	if err := WriteReport(dir, results, ReportOptions{Command: hostileCommand, MaxTimelines: 2}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// embeddedPlots counts the images report.md embeds from plots/.
func embeddedPlots(md string) int {
	n := 0
	for line := range strings.SplitSeq(md, "\n") {
		if strings.HasPrefix(line, "![") && strings.Contains(line, "]("+PlotsSubdir+"/") {
			n++
		}
	}
	return n
}

func TestReportHTMLIsSelfContainedWithOneSVGPerPlot(t *testing.T) {
	t.Parallel()
	dir := writeHTMLSample(t)
	md := readFile(t, dir, ReportFile)
	page := readFile(t, dir, HTMLFile)
	want := embeddedPlots(md)
	if want < 3 {
		t.Fatalf("the sample report embeds %d plots; the test needs several", want)
	}

	// Well-formed: the page parses as strict XML (XHTML syntax), every
	// element closed; and nothing in it points outside the page.
	dec := xml.NewDecoder(strings.NewReader(page))
	dec.Strict = true
	svgs, depth := 0, 0
	elements := map[string]int{}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("report.html is not well-formed: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			elements[e.Name.Local]++
			if e.Name.Local == "svg" {
				if depth == 0 {
					svgs++
				}
				depth++
			}
			for _, a := range e.Attr {
				switch strings.ToLower(a.Name.Local) {
				case "src", "href", "srcset", "action", "data", "poster":
					if !strings.HasPrefix(a.Value, "#") {
						t.Errorf("<%s %s=%q> points outside the page", e.Name.Local, a.Name.Local, a.Value)
					}
				}
				if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
					t.Errorf("<%s> has an event handler %s=%q", e.Name.Local, a.Name.Local, a.Value)
				}
			}
		case xml.EndElement:
			if e.Name.Local == "svg" {
				depth--
			}
		}
	}
	if svgs != want {
		t.Errorf("report.html holds %d <svg> figures, report.md embeds %d plots", svgs, want)
	}
	for _, el := range []string{"script", "img", "link", "iframe", "object", "embed", "image"} {
		if elements[el] > 0 {
			t.Errorf("report.html has %d <%s> elements, want none", elements[el], el)
		}
	}
	if elements["table"] < 3 {
		t.Errorf("report.html has %d tables, want the provenance and summary tables", elements["table"])
	}
	if strings.Contains(page, "url(") || strings.Contains(page, "@import") {
		t.Errorf("report.html's styles fetch something")
	}

	// The same content as report.md: its headings, verdict and thresholds
	// section, and the user strings escaped, not dropped.
	for _, want := range []string{"<h2 id=\"verdict\">Verdict</h2>", "<h2 id=\"provenance\">Provenance</h2>", ">locks</h2>", ">limiters</h2>",
		"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b&gt;x&lt;/b&gt;", "&lt;img src=x onerror=alert(1)&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	for line := range strings.SplitSeq(md, "\n") {
		if strings.HasPrefix(line, "- ") && strings.Contains(md[:strings.Index(md, "## Provenance")], line) {
			// Each verdict line's words are in the page (markdown marks aside).
			words := strings.NewReplacer("*", "", "`", "", "_", "").Replace(strings.TrimPrefix(line, "- "))
			if first := strings.Fields(words); len(first) > 0 && !strings.Contains(page, first[0]) {
				t.Errorf("verdict %q is not in report.html", line)
			}
		}
	}
}

func TestReportHTMLWithoutPlotsAndWithPNGOnly(t *testing.T) {
	t.Parallel()
	results := []*result.Result{makeResult(t, fixture{impl: "m", conc: 1, ops: 200, baseNs: 100})}
	dir := t.TempDir()
	if err := WriteReport(dir, results, ReportOptions{NoPlots: true}); err != nil {
		t.Fatal(err)
	}
	if page := readFile(t, dir, HTMLFile); strings.Contains(page, "<svg") || !strings.Contains(page, "<table>") {
		t.Errorf("-no-plots: report.html should hold the tables and no figure")
	}
	dir = t.TempDir()
	if err := WriteReport(dir, results, ReportOptions{Formats: []string{"png"}}); err != nil {
		t.Fatal(err)
	}
	page := readFile(t, dir, HTMLFile)
	if n, want := strings.Count(page, "<svg "), embeddedPlots(readFile(t, dir, ReportFile)); n != want || n == 0 {
		t.Errorf("PNG only: report.html holds %d SVGs, want %d (one per plot, drawn though no SVG file was asked for)", n, want)
	}
	if svgFiles, _ := filepath.Glob(filepath.Join(dir, PlotsSubdir, "*.svg")); len(svgFiles) > 0 {
		t.Errorf("PNG only: SVG files written: %v", svgFiles)
	}
	if _, err := os.Stat(filepath.Join(dir, HTMLFile)); err != nil {
		t.Error(err)
	}
}
