package livemetrics

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/syncbench/syncbench/result"
)

func get(t *testing.T, s *Server) string {
	t.Helper()
	resp, err := http.Get(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v\n%s", s.URL(), resp.StatusCode, err, b)
	}
	return string(b)
}

func TestTheCountersAreTheIntervalsSumsAndEndedRunsStayInactive(t *testing.T) {
	t.Parallel()
	s, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Serve()
	a := Run{Cell: "gcra-r5000", Impl: "gcra", Family: "limiters", Rate: 5000, Concurrency: 4}
	b := Run{Cell: "mutex", Impl: "mutex", Family: "locks", Concurrency: 8}
	hook := s.Start(a)
	s.Start(b)
	ms := int64(time.Millisecond)
	hook(result.Interval{OffsetNs: 0, DurationNs: 100 * ms, Offered: 5000, OK: 100, Denied: 400, ResponseP50: 1500, ResponseP99: 2 * ms, ResponseMax: 3 * ms})
	// A late collector's point covering two intervals: offered is over both.
	hook(result.Interval{OffsetNs: 100 * ms, DurationNs: 200 * ms, Offered: 5005, OK: 200, Denied: 801, Timeout: 2, Error: 1, Unfinished: 7, ResponseP99: 4 * ms})
	s.End(a)
	body := get(t, s)
	al := `{cell="gcra-r5000",concurrency="4",family="limiters",impl="gcra",rate="5000",workload=""}`
	bl := `{cell="mutex",concurrency="8",family="locks",impl="mutex",rate="0",workload=""}`
	for _, want := range []string{
		"loadgen_run_active" + al + " 0",
		"loadgen_run_active" + bl + " 1",
		"loadgen_intervals_total" + al + " 2",
		"loadgen_intervals_total" + bl + " 0",
		`loadgen_ops_total{cell="gcra-r5000",concurrency="4",family="limiters",impl="gcra",outcome="ok",rate="5000",workload=""} 300`,
		`loadgen_ops_total{cell="gcra-r5000",concurrency="4",family="limiters",impl="gcra",outcome="denied",rate="5000",workload=""} 1201`,
		`loadgen_ops_total{cell="gcra-r5000",concurrency="4",family="limiters",impl="gcra",outcome="timeout",rate="5000",workload=""} 2`,
		`loadgen_ops_total{cell="gcra-r5000",concurrency="4",family="limiters",impl="gcra",outcome="error",rate="5000",workload=""} 1`,
		"loadgen_offered_ops_total" + al + " 1501", // 500 + 1001
		"loadgen_unfinished_ops" + al + " 7",
		"loadgen_run_elapsed_seconds" + al + " 0.3",
		"loadgen_interval_seconds" + al + " 0.2",
		`loadgen_interval_response_seconds{cell="gcra-r5000",concurrency="4",family="limiters",impl="gcra",rate="5000",stat="p99",workload=""} 0.004`,
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("the scrape lacks %s\n%s", want, body)
		}
	}
	// The same labels again (a find-max probe at a rate already probed)
	// share the series: the counters go on from where they were.
	s.Start(a)(result.Interval{DurationNs: 100 * ms, OK: 1})
	if body := get(t, s); !strings.Contains(body, "loadgen_intervals_total"+al+" 3\n") || !strings.Contains(body, "loadgen_run_active"+al+" 1\n") {
		t.Errorf("a run restarted under the same labels:\n%s", body)
	}
}

func TestCheckAddrRefusesWhatCannotBeBound(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]string{
		"127.0.0.1:9464": "", ":9464": "", "localhost:0": "", "[::1]:9464": "",
		"127.0.0.1": "missing port in address", "127.0.0.1:http": `port "http" is not a number`,
		"127.0.0.1:-1": `port "-1" is not a number`, "127.0.0.1:": `port "" is not a number`, "a:b:c": "too many colons",
	} {
		err := CheckAddr(addr)
		if (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("CheckAddr(%q) = %v, want %q", addr, err, want)
		}
	}
}
