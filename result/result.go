package result

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
	DurationNs int64 `json:"duration_ns"`
	// Interrupted is set when the run was stopped early: by SIGINT or
	// SIGTERM, or by -threshold-abort (Aborted says why). Its figures cover
	// what ran.
	Interrupted bool `json:"interrupted"`
	// PacerLimited is set when the open-loop pacer itself fell behind its schedule
	// (lag p99 large against the mean arrival interval), so the latencies describe
	// the harness as much as the target.
	PacerLimited bool `json:"pacer_limited"`
	// PacerLimitedReason says, when PacerLimited is set, what the harness could not
	// do and by how much it was late (measured), e.g. "ops started up to 3.1ms
	// (p99) after their instant while a worker was free". Empty otherwise.
	PacerLimitedReason string `json:"pacer_limited_reason,omitempty"`
	// Saturated is set when some op intended inside the window never finished
	// (Counts.Unfinished > 0): an open loop's backlog at the cut-off, or a
	// closed-loop worker still waiting when the run ended; response percentiles
	// then hold censored values and are lower bounds. It is also set when a
	// closed-loop op spanned the whole window (a starved worker that got through
	// only after it): its wait is in the distribution, uncensored.
	Saturated bool `json:"saturated"`
	// Repetition numbers repeated runs of the same cell within one process
	// (-count) from 1; 0 for a single run.
	Repetition int `json:"repetition,omitempty"`
	// Fork numbers the process that ran this result among the cell's forks
	// (-forks N: separate processes, one after another), from 1 to
	// Params.Forks; 0 in files written before forks existed.
	Fork int `json:"fork,omitempty"`

	Counts    Counts     `json:"counts"`
	Rates     Rates      `json:"rates"`
	Latency   Latencies  `json:"latency"`
	Histogram Histograms `json:"histograms"`
	// Split holds the latencies of each op kind (Outcome "") and of each
	// outcome (Kind ""), for non-empty groups only; absent in older files.
	Split  []Split    `json:"split,omitempty"`
	Series []Interval `json:"series"`
	Floor  Floor      `json:"floor"`
	// Timing says whether every op was timed or a random sample of them (nil in
	// files written before sampling existed: every op was timed).
	Timing *Timing `json:"timing,omitempty"`
	// Harness is the harness's own share of the run (pacing, hand-offs, its CPU),
	// kept apart from the target's figures; nil when not measured.
	Harness *Harness                  `json:"harness,omitempty"`
	Extras  map[string]map[string]any `json:"extras,omitempty"`
	// ImplStats holds the figures the target itself reported (impls.StatsReporter).
	ImplStats map[string]float64 `json:"impl_stats,omitempty"`
	// Thresholds are the verdicts of the thresholds the run was given
	// (-threshold, a scenario file's), in order; absent when it had none.
	Thresholds []ThresholdVerdict `json:"thresholds,omitempty"`
	// Aborted says, when -threshold-abort stopped the run early, which
	// threshold failed and when, e.g. "p(95)<500ms failed after 3s of 10s:
	// p(95) 12ms > 500ms by 11.5ms (2300%)"; Interrupted is then set too, the
	// figures covering what ran. Empty otherwise.
	Aborted string `json:"aborted,omitempty"`
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
	// Forks is the number of separate processes (-forks) the run's cells
	// were measured in, this result's among them; DurationNs is each fork's
	// share of -duration. 0 in files written before forks existed (one
	// process). Like Seed, it does not make another configuration: results
	// of any fork count with equal other Params are runs of one cell.
	Forks int `json:"forks,omitempty"`

	// Mix is the op-kind mix as the -mix flag spells it
	// ("load=90,store=5,delete=5"), present only when one was given; ReadRatio
	// is then its load share. Without it the mix is ReadRatio reads and the rest
	// writes, as in results written before mixes existed.
	Mix string `json:"mix,omitempty"`

	// Family holds family-specific parameters (limit, burst, capacity, ...) as
	// their flag spelling and value.
	Family map[string]string `json:"family,omitempty"`

	// GOGC and MemoryLimit are the garbage collector's settings the run set
	// (-gogc, -memlimit): GOGC a percent or "off", MemoryLimit a size such as
	// "64MiB" or "off". Absent when the run left the process's settings, as in
	// results written before they existed.
	GOGC        string `json:"gogc,omitempty"`
	MemoryLimit string `json:"memory_limit,omitempty"`
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
	// PID is the process that ran the result: results with equal Hostname
	// and PID were measured in one process (one fork), so they share its
	// machine mode. 0 in files written before it was recorded.
	PID int `json:"pid,omitempty"`
	// Machine is the machine's mode, measured at the start of the process
	// (see MachineMode); nil when not measured.
	Machine *MachineMode `json:"machine,omitempty"`
}

// MachineMode is what the host gave a contended cache line when the process
// started: on a shared or virtual machine it moves between states for minutes
// at a time (where the virtual CPUs sit relative to each other), and with it
// every contended primitive's cost, so results measured under different
// modes are not repetitions of one measurement.
type MachineMode struct {
	// CacheLineRoundTripNs is the median round trip of one cache line
	// bounced between two threads, in ns; 0 when it could not be measured
	// (one CPU).
	CacheLineRoundTripNs float64 `json:"cache_line_round_trip_ns"`
	// Method says how it was measured.
	Method string `json:"method,omitempty"`
}

// Counts are ops per outcome in the measured window. Completions count what
// happened inside the window: an op counts when it FINISHED inside [0, duration),
// whenever it was scheduled (an open loop's warm-up backlog served in the window
// included). Latencies (Result.Latency, Split, the histograms) instead describe
// the ops INTENDED inside the window, however late they finished; so Completed
// and the histograms' counts differ by the ops that straddle the window's edges.
type Counts struct {
	// Offered is the number of ops the schedule asked for in the window, counted
	// by due instant (open loop), or the ops completed (closed loop: a closed
	// loop offers exactly what it does).
	Offered int64 `json:"offered"`
	// Completed is OK + Denied + Timeout + Error: ops that finished in the window.
	Completed int64 `json:"completed"`
	OK        int64 `json:"ok"`
	Denied    int64 `json:"denied"`
	Timeout   int64 `json:"timeout"`
	Error     int64 `json:"error"`
	// Unfinished is the number of ops intended inside the window (open loop) or
	// in flight at its end (closed loop) that had not finished when the run was
	// cut off: still queued, or blocked in the target. They are not in
	// Completed, not in Rates.Achieved, have no service sample, and enter the
	// response distribution with their wait so far (a censored value).
	Unfinished int64 `json:"unfinished"`
}

// Rates are per-second rates over the measured duration.
type Rates struct {
	// Offered is the rate the schedule asked for (open loop) or the start rate
	// (closed loop).
	Offered float64 `json:"offered"`
	// Achieved is completed ops per second, whatever their outcome: ops the
	// target finished inside the window (never the unfinished ones).
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
	// nil (absent) for a closed loop, where intended = started by definition,
	// and for a Split.
	Lag *LatencySummary `json:"lag,omitempty"`
}

// Histograms are the merged run histograms, V2 compressed and base64 encoded.
// All of them share one geometry (NewHistogram), so any two merge losslessly.
type Histograms struct {
	Response string `json:"response"`
	Service  string `json:"service"`
	// Lag is empty for a closed loop and for a Split.
	Lag string `json:"lag,omitempty"`
}

// Split is the latency of one group of ops: one op kind (Outcome empty) or one
// outcome (Kind empty). Its histograms have the run histograms' geometry, so the
// splits of one dimension merge losslessly into the run's own.
type Split struct {
	// Kind is an impls.OpKind name ("read", "write", "acquire", "allow", "delete").
	Kind string `json:"kind,omitempty"`
	// Outcome is an impls.Outcome name ("ok", "denied", "timeout", "error") or
	// "unfinished" (the censored waits of ops cut off at the end).
	Outcome string `json:"outcome,omitempty"`
	// Count is the number of ops of the group that finished inside the window
	// (for "unfinished": the ops cut off), counted exactly even when timing is
	// sampled; the histograms hold the group's timed ops.
	Count int64 `json:"count"`
	// Latency summarises the group's response and service times (no lag).
	Latency Latencies `json:"latency"`
	// Histogram holds the group's response and service histograms.
	Histogram Histograms `json:"histograms"`
}

// Timing says how ops were timed.
type Timing struct {
	// Mode is "full" (every op timed) or "sampled" (a random sample, geometric
	// skips between timed ops, every op still counted).
	Mode string `json:"mode"`
	// Fraction is the share of ops timed, in (0, 1]; 1 in full mode.
	Fraction float64 `json:"fraction"`
	// Samples is the number of timed ops the latency figures come from.
	Samples int64 `json:"samples"`
	// Choice says how Fraction was chosen: TimingAuto (-sample auto, from the
	// configuration alone, so every run, fork and implementation of one
	// configuration is timed alike) or TimingFixed (given, or an open loop,
	// which times every op). Empty in results written before it was recorded.
	Choice string `json:"choice,omitempty"`
	// ExpectedOpNs is, with TimingAuto, the op time the configuration implies
	// (hold, work, the family's own round trip) that Fraction was chosen for.
	ExpectedOpNs int64 `json:"expected_op_ns,omitempty"`
}

// Timing.Choice values.
const (
	TimingAuto  = "auto"
	TimingFixed = "fixed"
)

// Harness is what the harness itself cost and how late it was, measured in the
// run and shown apart from the target's figures. Zero fields were not measured.
type Harness struct {
	// Pacer names the open-loop pacer's wait strategy; empty for a closed loop.
	Pacer string `json:"pacer,omitempty"`
	// Lag summarises the harness's own lateness per open-loop op: started −
	// max(intended, the instant its worker finished the previous op), so queueing
	// behind a busy target is not counted, only the time a free worker took to
	// start an op that was due. nil for a closed loop.
	Lag *LatencySummary `json:"lag,omitempty"`
	// TargetBusyShare is the share of the workers' time (workers × wall) spent
	// inside the target, in [0, 1]: near 1 the target limits the run, near 0 the
	// harness or the schedule does.
	TargetBusyShare float64 `json:"target_busy_share"`
	// CPUNs is the harness's estimated CPU time over the measured window: the
	// pacer's (PacerCPUNs) plus per-op bookkeeping (PerOpCPUNs × ops).
	CPUNs float64 `json:"cpu_ns"`
	// CPUCores is CPUNs over the wall time of the window.
	CPUCores float64 `json:"cpu_cores"`
	// PerOpCPUNs is the bookkeeping CPU per op (clock reads, op generation,
	// recording), taken from the run's harness floor in the same timing mode.
	PerOpCPUNs float64 `json:"per_op_cpu_ns"`
	// PacerCPUNs is the pacer's CPU estimate (spinning plus wake-ups).
	PacerCPUNs float64 `json:"pacer_cpu_ns"`
	// PacerCores is PacerCPUNs over the window: the share of one processor
	// the pacer took.
	PacerCores float64 `json:"pacer_cores,omitempty"`
	// PacerSpinNs is the time workers spent spinning for an instant.
	PacerSpinNs int64 `json:"pacer_spin_ns,omitempty"`
	// PacerSleepNs is the time waiting workers spent asleep.
	PacerSleepNs int64 `json:"pacer_sleep_ns,omitempty"`
	// PacerWakeups is the number of times a worker slept and was woken.
	PacerWakeups int64 `json:"pacer_wakeups,omitempty"`
	// PacerWakeLate summarises how late the pacer's sleeps ended against the
	// instant each was set for; nil when it never slept.
	PacerWakeLate *LatencySummary `json:"pacer_wake_late,omitempty"`
	// PacerStretchNs is the hybrid pacer's final spin stretch (0 otherwise).
	PacerStretchNs int64 `json:"pacer_stretch_ns,omitempty"`
	// PacerBatchNs is the batch pacer's interval: it woke at most this often
	// and started every op due by each wake-up (0 for the other modes).
	PacerBatchNs int64 `json:"pacer_batch_ns,omitempty"`
	// MaxLagNs is the run's lag budget (-max-lag; 0: none): a run whose own
	// lateness p99 exceeded it is pacer-limited against it.
	MaxLagNs int64 `json:"max_lag_ns,omitempty"`
	// PacerChoice says why Pacer ran when the lag budget chose it: the
	// measured point it picked and the cheaper one it passed over.
	PacerChoice string `json:"pacer_choice,omitempty"`
	// HandoffWaitNs is the total time workers waited for the pacing turn (the
	// hand-off between workers), not counted as the target's lock wait.
	HandoffWaitNs int64 `json:"handoff_wait_ns,omitempty"`
	// Allocs and AllocBytes are the heap allocations the harness made during
	// the run (its histograms, from its ledger), taken off the process's so
	// that allocs/op is the target's.
	Allocs     uint64 `json:"allocs,omitempty"`
	AllocBytes uint64 `json:"alloc_bytes,omitempty"`
}

// Interval is one point of the time series.
type Interval struct {
	// OffsetNs is the interval's start, from the start of the measured run.
	OffsetNs   int64 `json:"offset_ns"`
	DurationNs int64 `json:"duration_ns"`
	// Offered and Achieved are rates over this interval, ops/s. Offered is the
	// schedule's ops DUE in the interval, however late they were claimed (closed
	// loop: Achieved); Achieved is the ops that finished in it.
	Offered  float64 `json:"offered"`
	Achieved float64 `json:"achieved"`
	// Admitted is OK ops/s over this interval. OK..Error count the ops that
	// FINISHED in it.
	Admitted float64 `json:"admitted"`
	OK       int64   `json:"ok"`
	Denied   int64   `json:"denied"`
	Timeout  int64   `json:"timeout"`
	Error    int64   `json:"error"`
	// Unfinished is the ops cut off at the end, on the interval that holds the
	// cut-off (the tail after the window).
	Unfinished int64 `json:"unfinished"`
	// ResponseP50..Max summarise the responses recorded in this interval (of
	// ops intended inside the window, recorded when they finished).
	ResponseP50 int64 `json:"response_p50_ns"`
	ResponseP99 int64 `json:"response_p99_ns"`
	ResponseMax int64 `json:"response_max_ns"`
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
	// Mode is the timing mode the floor was measured in ("full": every op timed;
	// "sampled": the mode's amortised cost); empty in older files.
	Mode string `json:"mode,omitempty"`
	// FullNsPerOp is the floor with every op timed, the cost an open loop or a
	// fully timed closed loop pays per op; 0 when not measured.
	FullNsPerOp float64 `json:"full_ns_per_op,omitempty"`
	// CPUNsPerOp and FullCPUNsPerOp are the same floors in process CPU time per
	// op (steadier than wall time on a shared machine): what a closed loop's
	// CPU/op has taken off as the harness's.
	CPUNsPerOp     float64 `json:"cpu_ns_per_op,omitempty"`
	FullCPUNsPerOp float64 `json:"full_cpu_ns_per_op,omitempty"`
}
