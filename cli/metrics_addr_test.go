package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/syncbench/syncbench/result"
)

// lockedBuffer is a stderr a test reads while the run writes it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var metricsURL = regexp.MustCompile(`loadgen: serving live metrics at (http://127\.0\.0\.1:\d+/metrics)\n`)

// scrape GETs url with accept and returns the body and its content type.
func scrape(t *testing.T, url, accept string) (string, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", accept)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, %v\n%s", url, resp.StatusCode, err, body)
	}
	return string(body), resp.Header.Get("Content-Type")
}

// sampleOf returns the value of family's one sample whose labels include want.
func sampleOf(t *testing.T, fams map[string]*dto.MetricFamily, family string, want map[string]string) float64 {
	t.Helper()
	f, ok := fams[family]
	if !ok {
		t.Fatalf("the scrape has no %s", family)
	}
	var found []float64
	for _, m := range f.GetMetric() {
		labels := map[string]string{}
		for _, lp := range m.GetLabel() {
			labels[lp.GetName()] = lp.GetValue()
		}
		match := true
		for k, v := range want {
			match = match && labels[k] == v
		}
		if !match {
			continue
		}
		switch f.GetType() {
		case dto.MetricType_COUNTER:
			found = append(found, m.GetCounter().GetValue())
		case dto.MetricType_GAUGE:
			found = append(found, m.GetGauge().GetValue())
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s%v: %d samples, want 1", family, want, len(found))
	}
	return found[0]
}

// TestMetricsAddrServesTheIntervalsDuringTheRun runs an open loop that would
// last a minute, scrapes its /metrics on loopback until two intervals have
// closed, then interrupts it: no wait is timed, and what the scrape said is
// held against the intervals the result file recorded.
func TestMetricsAddrServesTheIntervalsDuringTheRun(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout bytes.Buffer
	stderr := &lockedBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- runMain(ctx, []string{"-impl", "tokenbucket", "-rps", "2000", "-duration", "1m", "-interval", "100ms",
			"-warmup", "0s", "-quiet", "-metrics-addr", "127.0.0.1:0", "-out", out}, stdio{stdout: &stdout, stderr: stderr})
	}()
	var url string
	for url == "" {
		select {
		case code := <-done:
			t.Fatalf("the run ended (exit %d) before serving metrics:\n%s", code, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if m := metricsURL.FindStringSubmatch(stderr.String()); m != nil {
			url = m[1]
		}
	}
	run := map[string]string{"cell": "tokenbucket", "impl": "tokenbucket", "family": "limiters", "rate": "2000", "concurrency": "4"}
	var body string
	var fams map[string]*dto.MetricFamily
	for {
		body, _ = scrape(t, url, "text/plain")
		parser := expfmt.NewTextParser(model.UTF8Validation)
		var err error
		if fams, err = parser.TextToMetricFamilies(strings.NewReader(body)); err != nil {
			t.Fatalf("the scrape does not parse as Prometheus text: %v\n%s", err, body)
		}
		if _, ok := fams["loadgen_intervals_total"]; ok && sampleOf(t, fams, "loadgen_intervals_total", run) >= 2 {
			break
		}
		select {
		case code := <-done:
			t.Fatalf("the run ended (exit %d) before two intervals were scraped:\n%s", code, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	openMetrics, contentType := scrape(t, url, "application/openmetrics-text;version=1.0.0")
	cancel()
	if code := <-done; code != ExitInterrupted {
		t.Fatalf("exit %d, want %d (interrupted)\n%s", code, ExitInterrupted, stderr.String())
	}

	if got := sampleOf(t, fams, "loadgen_run_active", run); got != 1 {
		t.Errorf("loadgen_run_active = %v during the run, want 1", got)
	}
	for family, typ := range map[string]dto.MetricType{"loadgen_ops_total": dto.MetricType_COUNTER, "loadgen_offered_ops_total": dto.MetricType_COUNTER,
		"loadgen_interval_offered_ops_per_second": dto.MetricType_GAUGE, "loadgen_interval_achieved_ops_per_second": dto.MetricType_GAUGE,
		"loadgen_interval_response_seconds": dto.MetricType_GAUGE, "loadgen_unfinished_ops": dto.MetricType_GAUGE} {
		if f := fams[family]; f == nil || f.GetType() != typ {
			t.Errorf("%s: %v, want a %v", family, f, typ)
		}
	}
	// The scrape's counters are the sums of the result's first k intervals,
	// k the intervals it had seen: one home for the per-interval figures.
	r, err := result.ReadFile(filepath.Join(out, "tokenbucket.json"))
	if err != nil {
		t.Fatal(err)
	}
	k := int(sampleOf(t, fams, "loadgen_intervals_total", run))
	if k > len(r.Series) {
		t.Fatalf("the scrape saw %d intervals, the result has %d", k, len(r.Series))
	}
	var ok, denied int64
	for _, iv := range r.Series[:k] {
		ok += iv.OK
		denied += iv.Denied
	}
	gotOK := sampleOf(t, fams, "loadgen_ops_total", map[string]string{"cell": "tokenbucket", "outcome": "ok"})
	gotDenied := sampleOf(t, fams, "loadgen_ops_total", map[string]string{"cell": "tokenbucket", "outcome": "denied"})
	if gotOK != float64(ok) || gotDenied != float64(denied) || ok == 0 || denied == 0 {
		t.Errorf("scraped ok %v, denied %v after %d intervals; the result's first %d intervals hold ok %d, denied %d (both > 0: 2000/s offered to a limit of 1000/s)",
			gotOK, gotDenied, k, k, ok, denied)
	}
	last := r.Series[k-1]
	if got := sampleOf(t, fams, "loadgen_interval_response_seconds", map[string]string{"cell": "tokenbucket", "stat": "p99"}); got != float64(last.ResponseP99)/1e9 {
		t.Errorf("scraped p99 %vs, the result's interval %d has %dns", got, k, last.ResponseP99)
	}
	if got := sampleOf(t, fams, "loadgen_interval_offered_ops_per_second", run); got <= 0 {
		t.Errorf("scraped offered rate %v, want > 0", got)
	}

	if !strings.HasPrefix(contentType, "application/openmetrics-text") || !strings.HasSuffix(openMetrics, "# EOF\n") {
		t.Errorf("asked for OpenMetrics, got %q ending %q", contentType, openMetrics[max(0, len(openMetrics)-20):])
	}

	// Prometheus's own linter, when it is here (Debian's prometheus package,
	// which .ci/run installs).
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("promtool is needed to check the scrape (apt-get install prometheus): %v", err)
		}
		t.Skipf("promtool not found (apt-get install prometheus): the scrape parsed, but was not linted")
	}
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(body)
	if lint, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s\n%s", err, lint, body)
	}
}

func TestABadMetricsAddrIsBadInputBeforeAnyLoad(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { busy.Close() })
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no port", []string{"-metrics-addr", "127.0.0.1"}, `-metrics-addr "127.0.0.1": missing port in address`},
		{"a port out of range", []string{"-metrics-addr", "127.0.0.1:65536"}, `port "65536" is not a number from 0 to 65535`},
		{"a port in use", []string{"-metrics-addr", busy.Addr().String()}, `-metrics-addr "` + busy.Addr().String() + `" cannot be served: `},
		{"with -procs", []string{"-metrics-addr", "127.0.0.1:0", "-procs", "2"}, "does not combine with -procs 2"},
		{"with -forks", []string{"-metrics-addr", "127.0.0.1:0", "-forks", "6"}, "-metrics-addr serves one process's intervals (allowed: -forks 1)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := runCLI(t, append([]string{"-impl", "mutex", "-duration", "100ms", "-out", out}, tc.args...)...)
			if code != ExitBadInput || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) || stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", code, stdout, stderr, tc.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("-out was created: %v", err)
			}
		})
	}
}
