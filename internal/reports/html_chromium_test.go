package reports

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// chromiumProbe is added, in the test's copy of report.html only, before
// </body>: once the page is laid out it counts the figures' SVGs, those drawn
// with an extent (getBBox of their content, and the box the page gives them),
// the tables, and the resources the page fetched, on <body>'s data attributes,
// which --dump-dom prints.
const chromiumProbe = `<script>
(function () {
  var svgs = document.querySelectorAll("figure > svg"), drawn = 0;
  svgs.forEach(function (e) {
    var b = e.getBBox(), r = e.getBoundingClientRect();
    if (b.width > 0 && b.height > 0 && r.width > 0 && r.height > 0) { drawn++; }
  });
  var d = document.body.dataset;
  d.svgs = svgs.length;
  d.drawn = drawn;
  d.tables = document.querySelectorAll("table").length;
  d.fetched = performance.getEntriesByType("resource").length;
})();
</script>`

// TestReportHTMLRendersInHeadlessChromium opens report.html in a real browser
// (Debian's chromium, one start) and checks that every plot report.md embeds
// is drawn in the page and that the page fetched nothing. Without chromium it
// skips, saying so; under CI=true that is a failure (.ci/run installs it).
func TestReportHTMLRendersInHeadlessChromium(t *testing.T) {
	t.Parallel()
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium not found, and CI=true: install Debian's chromium package (.ci/run does)")
		}
		t.Skip("chromium not found: install Debian's chromium package to check that report.html renders")
	}
	dir := writeHTMLSample(t)
	want := embeddedPlots(readFile(t, dir, ReportFile))
	page := readFile(t, dir, HTMLFile)
	if !strings.Contains(page, "</body>") {
		t.Fatal("report.html has no </body>")
	}
	probed := filepath.Join(dir, "probed.html")
	if err := os.WriteFile(probed, []byte(strings.Replace(page, "</body>", chromiumProbe+"\n</body>", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
		"--user-data-dir="+t.TempDir(), "--dump-dom", "file://"+probed)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s --dump-dom: %v\n%s", bin, err, lastLines(stderr.String(), 10))
	}
	body := regexp.MustCompile(`<body[^>]*>`).FindString(string(out))
	if body == "" {
		t.Fatalf("chromium's DOM has no <body>:\n%s\n%s", lastLines(string(out), 10), lastLines(stderr.String(), 10))
	}
	attr := func(name string) int {
		m := regexp.MustCompile(`data-` + name + `="(\d+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("the probe did not run (no data-%s on %s)", name, body)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	if n := attr("svgs"); n != want {
		t.Errorf("chromium sees %d figures' SVGs, report.md embeds %d plots", n, want)
	}
	if n := attr("drawn"); n != want {
		t.Errorf("chromium draws %d of the %d plots with an extent", n, want)
	}
	if n := attr("tables"); n < 3 {
		t.Errorf("chromium sees %d tables, want the provenance and summary tables", n)
	}
	if n := attr("fetched"); n != 0 {
		t.Errorf("the page fetched %d resources, want none", n)
	}
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
