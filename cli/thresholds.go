package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/spf13/pflag"
	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/internal/workloads"
	"github.com/syncbench/syncbench/result"
)

// Thresholds (-threshold, a scenario file's) are judged on every result as it
// is made, so each result file holds its verdicts (Result.Thresholds); the
// summary, report.md and, with -junit, a JUnit XML file show them, and any
// failure exits 3. -threshold-abort also checks them while a run goes on and
// stops the run at the first breach, as k6's abortOnFail does.

func (s *shapeFlags) registerThresholdFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&s.abort, "threshold-abort", false, "stop the run at the first -threshold breach, checked at every -interval on what was measured so far (k6's abortOnFail); its result is marked aborted and the exit code is 3")
	fs.DurationVar(&s.abortDelay, "threshold-abort-delay", 0, "with -threshold-abort: check only from this far into the measured window on (k6's delayAbortEval)")
	fs.StringVar(&s.junit, "junit", "", "write the thresholds' verdicts to this file as JUnit XML, one test case per threshold and run")
}

// thresholdFlagErrors refuses -threshold-abort and -junit where they cannot
// work: with no threshold to check or report, an abort where no process of
// its own measures the run, or with only thresholds a run cannot check live.
func (p *plan) thresholdFlagErrors() []error {
	s := p.shape
	var errs []error
	if s.abortDelay < 0 {
		errs = append(errs, fmt.Errorf("-threshold-abort-delay %v is negative (allowed: a duration ≥ 0, e.g. 10s)", s.abortDelay))
	}
	if p.fs.Changed("threshold-abort-delay") && !s.abort {
		errs = append(errs, errors.New("-threshold-abort-delay delays -threshold-abort: give -threshold-abort too"))
	}
	if s.junit != "" && len(s.thresholds) == 0 {
		errs = append(errs, errors.New("-junit writes the thresholds' verdicts: give -threshold too (or a scenario file with thresholds)"))
	}
	if !s.abort {
		return errs
	}
	f := &p.flags
	switch {
	case len(s.thresholds) == 0:
		errs = append(errs, errors.New("-threshold-abort stops a run at a -threshold breach: give -threshold too"))
	case f.procs > 1:
		errs = append(errs, errors.New("-threshold-abort checks one process's run; with -procs the thresholds hold for the merge, known only at the end (allowed: -procs 1, or no -threshold-abort)"))
	case f.fleet != "":
		errs = append(errs, errors.New("-threshold-abort would stop one fleet member while the others go on (allowed: no -threshold-abort with -fleet)"))
	case p.findMaxCond != nil:
		errs = append(errs, errors.New("-threshold-abort would stop -find-max's probes, whose failures the search needs (allowed: no -threshold-abort with -find-max)"))
	case metrics.NewLiveCheck(s.thresholds, 0, 1) == nil:
		errs = append(errs, fmt.Errorf("-threshold-abort: none of the thresholds can be checked during the run (a split's, offered:count and admitted_rate_error need the finished result)"))
	}
	return errs
}

// judge records the verdicts of the plan's thresholds on r.
func (p *plan) judge(r *result.Result) {
	if r != nil && len(p.shape.thresholds) > 0 {
		r.Thresholds = metrics.Verdicts(p.shape.thresholds, r)
	}
}

// thresholdWatch stops one run at its first live threshold breach
// (-threshold-abort). Its hooks run on the run's collector goroutine.
type thresholdWatch struct {
	check  *metrics.LiveCheck
	cancel context.CancelFunc
	reason atomic.Pointer[string]
}

// watchThresholds arms -threshold-abort on job: it chains a LiveCheck behind
// the job's interval hooks and returns the context the run must use, which
// the first breach cancels. Without -threshold-abort it returns ctx and nil.
func (p *plan) watchThresholds(ctx context.Context, job *workloads.Job) (context.Context, *thresholdWatch) {
	if !p.shape.abort {
		return ctx, nil
	}
	check := metrics.NewLiveCheck(p.shape.thresholds, p.shape.abortDelay, job.Spec.Duration)
	if check == nil {
		return ctx, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	w := &thresholdWatch{check: check, cancel: cancel}
	onSample, onInterval := job.Hooks.OnSample, job.Hooks.OnInterval
	job.Hooks.OnSample = func(s metrics.IntervalSample, offsetNs, lengthNs int64) {
		if onSample != nil {
			onSample(s, offsetNs, lengthNs)
		}
		check.Sample(s, offsetNs, lengthNs)
	}
	job.Hooks.OnInterval = func(iv result.Interval) {
		if onInterval != nil {
			onInterval(iv)
		}
		if w.reason.Load() != nil {
			return
		}
		if _, reason, failed := check.Interval(iv); failed {
			w.reason.Store(&reason)
			cancel()
		}
	}
	return ctx, w
}

// finish releases the watch's context and, when it stopped the run, marks
// res: Aborted says why, Interrupted that its figures cover what ran. It
// returns the reason, "" when the run was not stopped. A nil watch does
// nothing.
func (w *thresholdWatch) finish(res *result.Result) string {
	if w == nil {
		return ""
	}
	w.cancel()
	reason := w.reason.Load()
	if reason == nil {
		return ""
	}
	if res != nil {
		res.Aborted, res.Interrupted = *reason, true
	}
	return *reason
}

// checkThresholds prints each failed verdict of results, and each run
// -threshold-abort stopped, on stderr; it reports whether none failed.
// Results judged elsewhere (a fork's, a merge's) carry their verdicts; one
// without any is judged here.
func (p *plan) checkThresholds(results []*result.Result, std stdio) bool {
	ok := true
	for _, r := range results {
		if len(r.Thresholds) == 0 {
			p.judge(r)
		}
		for _, v := range r.Thresholds {
			if !v.Pass {
				ok = false
				fmt.Fprintf(std.stderr, "loadgen: threshold failed for %s: %s\n", r.Impl, v.Message)
			}
		}
		if r.Aborted != "" {
			ok = false
			fmt.Fprintf(std.stderr, "loadgen: -threshold-abort stopped %s: %s\n", r.Impl, r.Aborted)
		}
	}
	return ok
}

// writeJUnit writes -junit's report of results, atomically; nothing without
// -junit.
func (p *plan) writeJUnit(results []*result.Result) error {
	if p.shape.junit == "" {
		return nil
	}
	var buf bytes.Buffer
	if err := reports.WriteJUnit(&buf, results); err != nil {
		return err
	}
	return result.WriteFileAtomic(p.shape.junit, buf.Bytes())
}

// writeTextThresholds prints the thresholds' verdicts below the text summary,
// as k6 prints its THRESHOLDS block: ✓ or ✗, the threshold, and the measured
// figure. Nothing when no result holds a verdict.
func writeTextThresholds(w io.Writer, results []*result.Result) {
	total, failed := reports.ThresholdCounts(results)
	if total == 0 {
		return
	}
	fmt.Fprintf(w, "\nthresholds: %d of %d passed\n", total-failed, total)
	for _, r := range results {
		for _, v := range r.Thresholds {
			mark := "✓"
			if !v.Pass {
				mark = "✗"
			}
			fmt.Fprintf(w, "  %s %-24s %s  (%s)\n", mark, v.Expression, v.Message, reports.RunName(r))
		}
		if r.Aborted != "" {
			fmt.Fprintf(w, "  stopped early by -threshold-abort: %s (%s)\n", r.Aborted, reports.RunName(r))
		}
	}
}

// thresholdsHelp is `loadgen help thresholds`: the grammar in brief;
// docs/thresholds.md has it in full.
func thresholdsHelp() string {
	return `Thresholds (-threshold, repeatable; a scenario file's thresholds:) are pass/fail
conditions checked on every result; a failure exits 3. Two spellings:

k6's:  [METRIC[{SPLIT}]:]AGGREGATION[{SPLIT}] OP VALUE
  p(95)<500ms   p(95)<500 (ms, as k6)   p(99.9)<2ms   avg<1ms   med<200us   min, max
  service:p(99)<1ms   lag:p(99)<100us       response time unless a metric is named
  errors:rate<0.01   timeouts:rate, denied:rate   share of completed ops (0..1 or 1%)
  count>1000   ops:rate>4900   admitted:count, offered:rate    ops, or ops/s
  p99{kind:write}<1ms   p(99){outcome:denied}<2ms   ops{outcome:error}:count<5
ours:  p50, p90, p95, p99, p999, p9999, max, min, mean (prefix service_ or lag_),
  error_rate<1%, timeout_rate, denied_rate, achieved_rate>4900, admitted_rate,
  offered_rate, admitted_rate_error<2% (rate limiters)
OP is <, <=, >, >=, == or !=. SPLIT is {kind:read|write|acquire|allow|delete} or
{outcome:ok|denied|timeout|error|unfinished}.

Every verdict is written into the result files, summary.md and report.md;
-junit FILE writes them as JUnit XML; -threshold-abort stops the run at the
first breach (after -threshold-abort-delay). More: docs/thresholds.md.
`
}

func init() { helpTopics["thresholds"] = thresholdsHelp }
