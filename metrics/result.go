package metrics

import "time"

// Schema identifies the version of the Result document. A reader refuses any other.
const Schema = "syncbench/result/v1"

// Result is the JSON document of one run of one implementation under one workload:
// everything a report shows can be rebuilt from it. Durations and latencies are in
// nanoseconds (fields ending in _ns), rates in events per second.
type Result struct {
	Schema   string `json:"schema"`
	Impl     string `json:"impl"`
	Family   string `json:"family"`
	Workload string `json:"workload"`
	// Command is the command line that produced the result.
	Command string      `json:"command,omitempty"`
	Params  Params      `json:"params"`
	Env     Environment `json:"environment"`
	// Start is when the measured part of the run began (after warm-up).
	Start time.Time `json:"start"`
	// DurationNs is the measured duration, excluding warm-up; shorter than asked for
	// when the run was interrupted.
	DurationNs  int64 `json:"duration_ns"`
	Interrupted bool  `json:"interrupted"`
	// PacerLimited is set when the open-loop pacer itself fell behind its schedule
	// (lag p99 large against the mean arrival interval), so the latencies describe
	// the harness as much as the target.
	PacerLimited bool `json:"pacer_limited"`
	// Repetition numbers repeated runs of the same cell from 1; 0 for a single run.
	Repetition int `json:"repetition,omitempty"`

	Counts    Counts                    `json:"counts"`
	Rates     Rates                     `json:"rates"`
	Latency   Latencies                 `json:"latency"`
	Histogram Histograms                `json:"histograms"`
	Series    []Interval                `json:"series"`
	Floor     Floor                     `json:"floor"`
	Extras    map[string]map[string]any `json:"extras,omitempty"`
	// ImplStats holds the figures the target itself reported (impls.StatsReporter).
	ImplStats map[string]float64 `json:"impl_stats,omitempty"`
}

// Params are the workload parameters the run was configured with. Two results with
// equal Params (ignoring Seed) measured the same configuration.
type Params struct {
	// Model is "closed" (N workers loop) or "open" (arrivals on a schedule).
	Model string `json:"model"`
	// Arrival is the open-loop arrival schedule ("constant", "poisson", ...).
	Arrival string `json:"arrival,omitempty"`
	// Rate is the offered rate of an open loop in ops/s; 0 for a closed loop.
	Rate        float64 `json:"rate"`
	Concurrency int     `json:"concurrency"`
	GOMAXPROCS  int     `json:"gomaxprocs"`
	DurationNs  int64   `json:"duration_ns"`
	WarmupNs    int64   `json:"warmup_ns"`
	ReadRatio   float64 `json:"read_ratio"`
	WorkNs      int64   `json:"work_ns"`
	ThinkNs     int64   `json:"think_ns"`
	Keys        int     `json:"keys,omitempty"`
	Seed        int64   `json:"seed"`

	// Mix is the op-kind mix as the -mix flag spells it
	// ("load=90,store=5,delete=5"), present only when one was given; ReadRatio
	// is then its load share. Without it the mix is ReadRatio reads and the rest
	// writes, as in results written before mixes existed.
	Mix string `json:"mix,omitempty"`

	// Family holds family-specific parameters (limit, burst, capacity, ...) as
	// their flag spelling and value.
	Family map[string]string `json:"family,omitempty"`
}

// Environment describes where the run happened.
type Environment struct {
	GoVersion  string `json:"go_version"`
	GOOS       string `json:"goos"`
	GOARCH     string `json:"goarch"`
	CPUModel   string `json:"cpu_model"`
	NumCPU     int    `json:"num_cpu"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	Hostname   string `json:"hostname,omitempty"`
	// Commit is the VCS revision loadgen was built from, when known.
	Commit string `json:"commit,omitempty"`
}

// Counts are completed ops per outcome in the measured part of the run.
type Counts struct {
	// Offered is the number of ops the schedule asked for (open loop) or started
	// (closed loop).
	Offered int64 `json:"offered"`
	// Completed is OK + Denied + Timeout + Error.
	Completed int64 `json:"completed"`
	OK        int64 `json:"ok"`
	Denied    int64 `json:"denied"`
	Timeout   int64 `json:"timeout"`
	Error     int64 `json:"error"`
}

// Rates are per-second rates over the measured duration.
type Rates struct {
	// Offered is the rate the schedule asked for (open loop) or the start rate
	// (closed loop).
	Offered float64 `json:"offered"`
	// Achieved is completed ops per second, whatever their outcome.
	Achieved float64 `json:"achieved"`
	// Admitted is OK ops per second (for a limiter: events let through).
	Admitted float64 `json:"admitted"`
}

// Latencies summarise the three timings of every op.
type Latencies struct {
	// Response is finished − intended: what a caller of the target experiences,
	// queueing included (coordinated-omission free in an open loop).
	Response LatencySummary `json:"response"`
	// Service is finished − started: the time inside the target.
	Service LatencySummary `json:"service"`
	// Lag is started − intended: how late ops started against their schedule.
	Lag LatencySummary `json:"lag"`
}

// Histograms are the merged run histograms, V2 compressed and base64 encoded.
type Histograms struct {
	Response string `json:"response"`
	Service  string `json:"service"`
	Lag      string `json:"lag"`
}

// Interval is one point of the time series.
type Interval struct {
	// OffsetNs is the interval's start, from the start of the measured run.
	OffsetNs   int64 `json:"offset_ns"`
	DurationNs int64 `json:"duration_ns"`
	// Offered and Achieved are rates over this interval, ops/s.
	Offered  float64 `json:"offered"`
	Achieved float64 `json:"achieved"`
	// Admitted is OK ops/s over this interval.
	Admitted    float64 `json:"admitted"`
	OK          int64   `json:"ok"`
	Denied      int64   `json:"denied"`
	Timeout     int64   `json:"timeout"`
	Error       int64   `json:"error"`
	ResponseP50 int64   `json:"response_p50_ns"`
	ResponseP99 int64   `json:"response_p99_ns"`
	ResponseMax int64   `json:"response_max_ns"`
}

// Floor is the harness's own cost per op, measured by driving the noop
// implementation, so a reader can tell a primitive's cost from the harness's.
type Floor struct {
	// NsPerOp is throughput-derived: elapsed time / ops, one closed-loop worker
	// doing the same clock reads and recording as a real run.
	NsPerOp float64 `json:"ns_per_op"`
	// ResponseP50 is the median recorded response of a noop op.
	ResponseP50 int64 `json:"response_p50_ns"`
	// Method says how the floor was measured.
	Method string `json:"method"`
}
