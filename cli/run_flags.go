package cli

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/pools"
	redisimpl "github.com/syncbench/syncbench/impls/redis"
	"github.com/syncbench/syncbench/internal/fleet"
	"github.com/syncbench/syncbench/internal/workloads"
)

// runFlags are the flags of the run command (loadgen with no verb).
type runFlags struct {
	impl        string
	rps         string // list: sweeps
	concurrency string // list: sweeps
	cpu         string // list of GOMAXPROCS values: sweeps
	count       int
	forks       int    // -forks: separate processes, one after another
	fork        string // hidden -fork K/N: this process is fork K of N
	duration    time.Duration
	warmup      time.Duration
	interval    time.Duration
	readRatio   float64
	mix         string // op-kind mix; parsed into plan.mix
	work        time.Duration
	think       time.Duration
	hold        time.Duration
	seed        int64
	out         string
	format      string
	quiet       bool
	procs       int
	shape       shapeFlags
	profiles    profileFlags
	findMax     string
	pacer       string
	pacerBatch  time.Duration
	maxLag      time.Duration
	sample      string
	fleet       string        // -fleet NAME:N; see fleet.go
	fleetWait   time.Duration // how long a fleet gathering waits for its members

	// output: what the tables print and the live interval stream
	percentiles string // parsed into plan.percentiles
	stream      string // -stream FILE or "-"
	metricsAddr string // -metrics-addr HOST:PORT: live Prometheus metrics
	force       bool   // -force: write into an -out that holds earlier results

	// family parameters
	capacity    int64
	weights     string
	timeout     time.Duration
	mode        string
	limit       float64
	burst       int
	window      time.Duration
	keys        int
	keyTTL      time.Duration
	lockfile    string
	sharedRatio float64
	redis       string
	backend     backendFlags
	producers   string // -producers: the queues' name for -concurrency
	consumers   int

	// pools and coalescing, and the GC settings every family can sweep
	size        string // -size, parsed into plan.size
	cancelRatio float64
	gogc        string // list: sweeps
	memlimit    string // list: sweeps
}

func newRunFlagSet(f *runFlags) *pflag.FlagSet {
	fs := pflag.NewFlagSet("loadgen", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	fs.StringVar(&f.impl, "impl", "mutex", "implementations: names, family names or all, comma separated (see loadgen list)")
	fs.StringVar(&f.rps, "rps", "0", "open-loop offered rate in ops/s; 0 = closed loop; a comma list sweeps")
	fs.StringVar(&f.concurrency, "concurrency", "4", "closed-loop workers, or the open-loop bound on ops in flight; a comma list sweeps")
	fs.StringVar(&f.cpu, "cpu", "", "GOMAXPROCS values to run at, comma list (default: the current value)")
	fs.IntVar(&f.forks, "forks", defaultForks, "run the cells in N separate processes, one after another, each running every cell once in a rotated order, so between-run variation enters every figure and verdict; -duration is split among them (1 with -procs, -fleet, -find-max, -stream, -metrics-addr, a profile, a scenario file or a shaped -arrival)")
	fs.StringVar(&f.fork, "fork", "", "internal: this process is fork K/N of a parent's run")
	_ = fs.MarkHidden("fork")
	fs.IntVar(&f.count, "count", 1, "repetitions of every cell inside each process, run interleaved (A B A B ...): they share the process's state, so their spread understates the run-to-run spread (use -forks for that)")
	fs.DurationVar(&f.duration, "duration", 10*time.Second, "measured duration of each cell, split evenly among its -forks (a rate limiter's fork measures at least two -window, so its rate error has a steady span)")
	fs.DurationVar(&f.warmup, "warmup", time.Second, "warm-up before each run, not recorded")
	fs.DurationVar(&f.interval, "interval", time.Second, "time-series interval")
	fs.Float64Var(&f.readRatio, "read-ratio", 0.9, "fraction of ops that are reads, in [0,1]; shorthand for -mix load=R,store=1-R")
	fs.StringVar(&f.mix, "mix", "", "op-kind weights, e.g. load=90,store=5,delete=5 (maps: load/store/delete; locks: read=load, write=store); overrides -read-ratio")
	fs.DurationVar(&f.work, "work", 0, "busy CPU time inside the critical section of each op")
	fs.DurationVar(&f.think, "think", 0, "closed-loop pause between a worker's ops")
	fs.DurationVar(&f.hold, "hold", 0, "how long a lock or semaphore (or a pooled object) is held, sleeping; coalescing: the backend's latency")
	fs.Int64Var(&f.seed, "seed", 1, "seed for op choices")
	fs.StringVarP(&f.out, "out", "o", "", "directory for <impl>.json results, .hlog/.hgrm files, summary.md and report.md")
	fs.BoolVar(&f.force, "force", false, "write into an -out directory that already holds results (same-named files are replaced, the others stay)")
	fs.StringVar(&f.percentiles, "percentiles", "", "response percentiles the tables print, comma list (default 50,90,99,99.9); results keep full histograms")
	fs.StringVar(&f.stream, "stream", "", "write one JSON line per interval per run to FILE as it closes, or - for stdout (the summary then goes to stderr)")
	fs.StringVar(&f.metricsAddr, "metrics-addr", "", "serve live Prometheus/OpenMetrics metrics of every interval at http://HOST:PORT/metrics while the run goes, e.g. 127.0.0.1:9464 (:9464 for every interface, port 0 for a free one)")
	fs.StringVar(&f.format, "format", "text", "stdout format: text, json or md")
	fs.BoolVar(&f.quiet, "quiet", false, "no live status line on stderr")
	fs.IntVar(&f.procs, "procs", 1, "run N copies of loadgen that contend on the same lock file or Redis key, and merge their results")

	f.shape.register(fs)
	f.profiles.register(fs)
	fs.StringVar(&f.sample, "sample", "auto", "closed loop: share of ops timed: auto (chosen from the configuration alone, so every run and implementation of it is timed alike: every op when its hold, work or backend make ops slow against a clock read, a random sample when not), 1 (every op), or a fraction such as 1/64; every op is counted either way")
	fs.StringVar(&f.pacer, "pacer", workloads.PacerHybrid, "open loop: how to wait for each op's instant: "+strings.Join(workloads.PacerModes(), "|")+" (hybrid sleeps on a kernel timer and spins a learned last stretch; spin: lowest lag, a core; sleep: least CPU; batch: one wake-up per -pacer-batch, lag up to about that)")
	fs.DurationVar(&f.pacerBatch, "pacer-batch", 0, fmt.Sprintf("open loop, -pacer batch: wake at most this often and start every op due by then (each op's latency still counts from its instant); 0: %v below %g ops/s, %v from there", workloads.DefaultPacerBatch, workloads.FastBatchMinRate, workloads.FastPacerBatch))
	fs.DurationVar(&f.maxLag, "max-lag", 0, "open loop: lag budget: run the cheapest pacer whose measured lag p99 at the rate is within it (not with -pacer), and mark a run whose own lateness p99 exceeds it pacer-limited")
	fs.StringVar(&f.findMax, "find-max", "", "search for the highest -rps at which a condition holds, e.g. 'p99<1ms' (starts at -rps, default 1000)")

	fs.Int64Var(&f.capacity, "capacity", 4, "semaphores: total weight; queues: slots (default for queues: 1024)")
	fs.StringVar(&f.weights, "weights", "1", "semaphores, limiters: op weights drawn at random, comma list (e.g. 1,1,8)")
	fs.DurationVar(&f.timeout, "timeout", 0, "semaphores, file locks, redis: bound on a blocking acquire; breakers, adaptive: the caller's deadline per call (0 = none)")
	fs.StringVar(&f.mode, "mode", "", "semaphores: acquire|try; limiters: allow|wait")
	fs.Float64Var(&f.limit, "limit", 1000, "limiters: sustained rate in events/s")
	fs.IntVar(&f.burst, "burst", 100, "limiters: burst (bucket size)")
	fs.DurationVar(&f.window, "window", time.Second, "window limiters: window length; also the accuracy window")
	fs.IntVar(&f.keys, "keys", 0, "maps, keyed limiters (Redis ones too: their keys spread over a cluster's slots): number of distinct keys; 0 is the implementation's default (maps 1000 filled keys, limiters one key; snapshots 64 entries in the state)")
	fs.DurationVar(&f.keyTTL, "key-ttl", 0, "keyed limiters: evict a key's limiter idle this long (0 = never)")
	fs.StringVar(&f.lockfile, "lockfile", "", "file locks: the lock file (default: a temp file)")
	fs.Float64Var(&f.sharedRatio, "shared-ratio", 0, "file locks: fraction of acquisitions in shared mode")
	fs.StringVar(&f.redis, "redis", "127.0.0.1:6379", "redis: server host:port, a comma list of Redis Cluster seeds, or redis:// / rediss:// URLs (password from the URL or $REDISCLI_AUTH); -fleet: where the members meet")
	f.backend.register(fs)
	fs.StringVar(&f.fleet, "fleet", "", "NAME:N: this process is one of N loadgen processes (on any hosts) that meet at -redis and measure one window together; merge their results with loadgen merge")
	fs.DurationVar(&f.fleetWait, "fleet-wait", fleet.DefaultArriveWithin, "-fleet: how long the first member waits for the others before the fleet fails (exit 2)")
	fs.StringVar(&f.producers, "producers", "", "queues: producers, the workers that enqueue (another name for -concurrency); a comma list sweeps")
	fs.IntVar(&f.consumers, "consumers", 1, "queues: consumer goroutines the queue's target runs to take the items")
	fs.StringVar(&f.size, "size", workloads.SizeText(pools.DefaultSize), "pools: object size, bytes or KiB/MiB (e.g. 256, 4KiB, 1MiB)")
	fs.Float64Var(&f.cancelRatio, "cancel-ratio", 0, "coalescing: share of callers, in [0,1], that give up after -timeout")
	fs.StringVar(&f.gogc, "gogc", "", "GOGC values to run at (debug.SetGCPercent), comma list of percents or off; sweeps (default: the process's)")
	fs.StringVar(&f.memlimit, "memlimit", "", "soft memory limits to run at (debug.SetMemoryLimit), comma list such as 64MiB,off; sweeps (default: the process's)")
	return fs
}

// familyFlags lists, for each family-specific flag, the families it applies to.
// Setting one for a run that includes no such family is bad input: the user meant
// something that will not happen.
var familyFlags = map[string][]string{
	"capacity":     {impls.FamilySemaphores, impls.FamilyQueues},
	"weights":      {impls.FamilySemaphores, impls.FamilyLimiters},
	"timeout":      {impls.FamilySemaphores, impls.FamilyFileLocks, impls.FamilyRedis, impls.FamilyBreakers, impls.FamilyAdaptive, impls.FamilyCoalescing},
	"mode":         {impls.FamilySemaphores, impls.FamilyLimiters, impls.FamilyRedis},
	"limit":        {impls.FamilyLimiters, impls.FamilyRedis},
	"burst":        {impls.FamilyLimiters, impls.FamilyRedis},
	"window":       {impls.FamilyLimiters, impls.FamilyRedis},
	"key-ttl":      {impls.FamilyLimiters},
	"keys":         {impls.FamilyLocks, impls.FamilyLimiters, impls.FamilyRedis, impls.FamilySnapshots, impls.FamilyCoalescing},
	"lockfile":     {impls.FamilyFileLocks},
	"shared-ratio": {impls.FamilyFileLocks},
	"redis":        {impls.FamilyRedis},
	"hold":         {impls.FamilyLocks, impls.FamilySemaphores, impls.FamilyFileLocks, impls.FamilyRedis, impls.FamilyPools, impls.FamilyCoalescing},
	"producers":    {impls.FamilyQueues},
	"consumers":    {impls.FamilyQueues},
	"size":         {impls.FamilyPools},
	"cancel-ratio": {impls.FamilyCoalescing},
}

func init() {
	for _, name := range backendFlagNames {
		familyFlags[name] = []string{impls.FamilyBreakers, impls.FamilyAdaptive}
	}
}

// checkFamilyFlags returns an error for the first family flag set on the command
// line that applies to none of the chosen implementations.
func checkFamilyFlags(fs *pflag.FlagSet, chosen []impls.Impl) error {
	var bad error
	fs.Visit(func(fl *pflag.Flag) {
		families, ok := familyFlags[fl.Name]
		if !ok || bad != nil || (fl.Name == "redis" && fs.Changed("fleet")) {
			return // a fleet meets at -redis whatever it measures
		}
		for _, impl := range chosen {
			if slices.Contains(families, impl.Family) {
				return
			}
		}
		bad = fmt.Errorf("-%s does not apply to the chosen implementations (it applies to: %s)", fl.Name, strings.Join(families, ", "))
	})
	return bad
}

// familyParams returns the family flags that apply to impl, as stored in the
// result, so two results tell whether they measured the same configuration.
func (f *runFlags) familyParams(fs *pflag.FlagSet, impl impls.Impl) map[string]string {
	params := map[string]string{}
	for name, families := range familyFlags {
		if !slices.Contains(families, impl.Family) || name == "producers" {
			continue // -producers is -concurrency, stored as such
		}
		if fl := fs.Lookup(name); fl != nil && (fs.Changed(name) || isCoreFamilyParam(impl.Family, name)) {
			params[name] = fl.Value.String()
			if name == "redis" {
				params[name] = redisimpl.Redact(params[name]) // results never hold a password
			}
		}
	}
	if len(params) == 0 {
		return nil
	}
	return params
}

// isCoreFamilyParam reports whether a family flag always shapes a family's runs,
// set or not (a limiter always has a limit), so its default is worth recording.
func isCoreFamilyParam(family, name string) bool {
	switch family {
	case impls.FamilyLimiters, impls.FamilyRedis:
		return name == "limit" || name == "burst" || name == "window"
	case impls.FamilySemaphores:
		return name == "capacity" || name == "weights"
	case impls.FamilyQueues:
		// Not capacity: unset, a queue has its own default, not the
		// semaphores' the flag shows (the result's impl_stats holds it).
		return name == "consumers"
	case impls.FamilyPools:
		return name == "size"
	}
	return false
}

// parseFloatList parses "5000" or "1000,2000" into values; each must satisfy ok.
func parseFloatList(flag, s string, ok func(float64) bool, allowed string) ([]float64, error) {
	var out []float64
	for part := range strings.SplitSeq(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || !ok(v) {
			return nil, fmt.Errorf("-%s %q is not valid (allowed: %s)", flag, part, allowed)
		}
		out = append(out, v)
	}
	return out, nil
}

// parseIntList parses "4" or "1,8,64" into positive integers.
func parseIntList(flag, s string) ([]int, error) {
	var out []int
	for part := range strings.SplitSeq(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || v < 1 {
			return nil, fmt.Errorf("-%s %q is not valid (allowed: positive integers, comma separated)", flag, part)
		}
		out = append(out, v)
	}
	return out, nil
}
