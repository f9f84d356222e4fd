// Package livemetrics serves a run's figures to Prometheus while it goes
// (-metrics-addr): the same per-interval points the result's time series and
// -stream get from the interval collector, as Prometheus / OpenMetrics text on
// /metrics.
//
// Nothing here measures: a [Server] keeps, per run, the last interval the
// collector closed and the sums of every interval so far, and renders them at
// each scrape. A scrape therefore sees a figure change once per -interval, and
// a scrape between two boundaries repeats the last one. Counters
// (loadgen_ops_total, loadgen_offered_ops_total, loadgen_intervals_total) are
// sums over the measured window's intervals and never go down within a run;
// gauges (loadgen_interval_*) describe the last interval only.
//
// A scrape is harness work (metrics.HarnessWork): what it allocates is kept out
// of the target's allocation figures. Its CPU is not: a scrape costs tens of
// microseconds of the process's time, once per scrape interval.
//
// The package is the command line's: it pulls client_golang, which the light
// packages (bench, impls, result) must not.
package livemetrics

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/result"
)

// Path is where the metrics are served.
const Path = "/metrics"

// Run names one run (one repetition of one cell) by the labels its series
// carry. Two runs with the same labels share their series.
type Run struct {
	// Cell names the run as result files do: the implementation and every
	// swept dimension ("mutex-c8-r2").
	Cell        string
	Impl        string
	Family      string
	Workload    string
	Rate        float64
	Concurrency int
}

func (r Run) labels() []string {
	return []string{r.Cell, r.Impl, r.Family, r.Workload, strconv.FormatFloat(r.Rate, 'g', -1, 64), strconv.Itoa(r.Concurrency)}
}

// key is the map key of the runs with r's labels.
func (r Run) key() string { return fmt.Sprintf("%q", r.labels()) }

var runLabels = []string{"cell", "impl", "family", "workload", "rate", "concurrency"}

// outcomes are the outcome label's values, in the order of loadgen's tables.
var outcomes = []string{"ok", "denied", "timeout", "error"}

// stats are the response figures every interval point holds, as the stat
// label spells them (the tables' names). Not "quantile": that label is the
// summary type's, and these are gauges of one interval.
var stats = []string{"p50", "p99", "max"}

func desc(name, help string, extra ...string) *prometheus.Desc {
	return prometheus.NewDesc(name, help, append(slices.Clone(runLabels), extra...), nil)
}

var (
	descActive    = desc("loadgen_run_active", "1 while the run measures (warm-up included), 0 once it has ended.")
	descElapsed   = desc("loadgen_run_elapsed_seconds", "End of the last closed interval, from the start of the measured window.")
	descIntervals = desc("loadgen_intervals_total", "Intervals the collector has closed in the measured window (a late collector's point covering several counts once).")
	descOps       = desc("loadgen_ops_total", "Ops finished in the measured window so far, by outcome.", "outcome")
	descOffered   = desc("loadgen_offered_ops_total", "Ops the schedule made due in the measured window so far (a closed loop: the ops finished).")
	descUnfin     = desc("loadgen_unfinished_ops", "Ops still queued or inside the target when the run was cut off (0 until the run's tail interval).")
	descLength    = desc("loadgen_interval_seconds", "Length of the last closed interval.")
	descIvOffered = desc("loadgen_interval_offered_ops_per_second", "Offered rate over the last closed interval: ops due in it per second.")
	descIvAchiev  = desc("loadgen_interval_achieved_ops_per_second", "Achieved rate over the last closed interval: ops finished in it (any outcome) per second.")
	descIvAdmit   = desc("loadgen_interval_admitted_ops_per_second", "OK ops finished in the last closed interval per second.")
	descIvResp    = desc("loadgen_interval_response_seconds", "Response time (finished - intended) of the ops recorded in the last closed interval, by stat: p50, p99 or max.", "stat")
)

// runState is what the server holds of one run.
type runState struct {
	run       Run
	active    bool
	last      result.Interval
	intervals int64
	counts    [4]int64 // by outcomes
	offered   int64
	seq       int // order of first appearance, for a stable exposition
}

// Server serves the runs' figures over HTTP. Its methods are safe for
// concurrent use.
type Server struct {
	ln  net.Listener
	srv *http.Server

	mu   sync.Mutex
	runs map[string]*runState // by the joined labels
}

// Listen binds addr (host:port; an empty host is every interface, port 0 a
// free one) and returns a server that serves once Serve is called. Its error
// is bad input: the address cannot be parsed, resolved or bound.
func Listen(addr string) (*Server, error) {
	if err := CheckAddr(addr); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if op, ok := errors.AsType[*net.OpError](err); ok && op.Err != nil {
			err = op.Err
		}
		return nil, err
	}
	s := &Server{ln: ln, runs: map[string]*runState{}}
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(collector{s}); err != nil {
		ln.Close()
		return nil, err
	}
	h := promhttp.HandlerFor(reg, promhttp.HandlerOpts{EnableOpenMetrics: true, ErrorHandling: promhttp.ContinueOnError})
	mux := http.NewServeMux()
	mux.HandleFunc(Path, func(w http.ResponseWriter, r *http.Request) {
		metrics.HarnessWork(func() { h.ServeHTTP(w, r) })
	})
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	return s, nil
}

// CheckAddr checks addr's syntax without binding it: host:port with a port
// from 0 to 65535.
func CheckAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		if ae, ok := errors.AsType[*net.AddrError](err); ok {
			return errors.New(ae.Err)
		}
		return err
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	return nil
}

// URL is where the metrics are served, with the port actually bound.
func (s *Server) URL() string {
	return "http://" + s.ln.Addr().String() + Path
}

// Serve serves scrapes from a goroutine of its own until Close.
func (s *Server) Serve() {
	go func() { _ = s.srv.Serve(s.ln) }()
}

// Close stops serving, waiting up to a second for scrapes in progress.
func (s *Server) Close() {
	if s == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		s.srv.Close()
	}
	s.ln.Close() // when Serve was never called
}

// Start marks run active (its series appear, with zeros) and returns the
// interval collector's hook feeding it; End marks it done. A nil server
// returns a nil hook.
func (s *Server) Start(run Run) func(result.Interval) {
	if s == nil {
		return nil
	}
	key := run.key()
	s.mu.Lock()
	st, ok := s.runs[key]
	if !ok {
		st = &runState{run: run, seq: len(s.runs)}
		s.runs[key] = st
	}
	st.active = true
	s.mu.Unlock()
	return func(iv result.Interval) {
		s.mu.Lock()
		defer s.mu.Unlock()
		st.last = iv
		st.intervals++
		for i, n := range []int64{iv.OK, iv.Denied, iv.Timeout, iv.Error} {
			st.counts[i] += n
		}
		// Offered is a rate over the point's length: its due count back.
		st.offered += int64(math.Round(iv.Offered * float64(iv.DurationNs) / float64(time.Second)))
	}
}

// End marks every run with run's labels done.
func (s *Server) End(run Run) {
	if s == nil {
		return
	}
	key := run.key()
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.runs[key]; ok {
		st.active = false
	}
}

// collector renders the server's runs at each scrape.
type collector struct{ s *Server }

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descActive, descElapsed, descIntervals, descOps, descOffered, descUnfin,
		descLength, descIvOffered, descIvAchiev, descIvAdmit, descIvResp} {
		ch <- d
	}
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	c.s.mu.Lock()
	states := make([]runState, 0, len(c.s.runs))
	for _, st := range c.s.runs {
		states = append(states, *st)
	}
	c.s.mu.Unlock()
	slices.SortFunc(states, func(a, b runState) int { return cmp.Compare(a.seq, b.seq) })
	seconds := func(ns int64) float64 { return float64(ns) / float64(time.Second) }
	for _, st := range states {
		l := st.run.labels()
		gauge := func(d *prometheus.Desc, v float64, extra ...string) {
			ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, slices.Concat(l, extra)...)
		}
		counter := func(d *prometheus.Desc, v float64, extra ...string) {
			ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, slices.Concat(l, extra)...)
		}
		active := 0.0
		if st.active {
			active = 1
		}
		iv := st.last
		gauge(descActive, active)
		gauge(descElapsed, seconds(iv.OffsetNs+iv.DurationNs))
		counter(descIntervals, float64(st.intervals))
		for i, o := range outcomes {
			counter(descOps, float64(st.counts[i]), o)
		}
		counter(descOffered, float64(st.offered))
		gauge(descUnfin, float64(iv.Unfinished))
		gauge(descLength, seconds(iv.DurationNs))
		gauge(descIvOffered, iv.Offered)
		gauge(descIvAchiev, iv.Achieved)
		gauge(descIvAdmit, iv.Admitted)
		for i, ns := range []int64{iv.ResponseP50, iv.ResponseP99, iv.ResponseMax} {
			gauge(descIvResp, seconds(ns), stats[i])
		}
	}
}
