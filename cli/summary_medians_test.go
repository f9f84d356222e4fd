package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/result"
)

func TestTheMediansSayWhenRepetitionsAreBimodal(t *testing.T) {
	t.Parallel()
	// rwmutex: 2 runs near 1.2M ops/s and 3 near 2.4M — the median (2.38M)
	// hides the slow mode. mutex: 4 runs of ordinary noise.
	var results []*result.Result
	for i, rate := range []float64{2.41e6, 1.20e6, 2.38e6, 1.23e6, 2.42e6} {
		r := summaryFixture("rwmutex", "locks", "closed")
		r.Repetition, r.Rates.Achieved = i, rate
		results = append(results, r)
	}
	for i, rate := range []float64{1.00e6, 1.04e6, 0.97e6, 1.02e6} {
		r := summaryFixture("mutex", "locks", "closed")
		r.Repetition, r.Rates.Achieved = i, rate
		results = append(results, r)
	}
	var text, md bytes.Buffer
	if err := writeTextMedians(&text, results); err != nil {
		t.Fatal(err)
	}
	writeMarkdownMedians(&md, results)
	for name, out := range map[string]string{"text": text.String(), "markdown": md.String()} {
		if !strings.Contains(out, reports.BimodalMark+" rwmutex conc=8 cpu=2: bimodal across runs: 2 at 1.22M ops/s, 3 at 2.41M ops/s") {
			t.Errorf("%s medians do not name rwmutex's two clusters:\n%s", name, out)
		}
		for line := range strings.SplitSeq(out, "\n") {
			if strings.Contains(line, "mutex conc") && !strings.Contains(line, "rwmutex") && strings.Contains(line, reports.BimodalMark) {
				t.Errorf("%s: noisy unimodal mutex flagged bimodal: %s", name, line)
			}
			if strings.Contains(line, "rwmutex conc=8 cpu=2") && strings.Contains(line, "(1.20M–2.42M)") && !strings.Contains(line, reports.BimodalMark) {
				t.Errorf("%s: rwmutex's median row carries no mark: %s", name, line)
			}
		}
	}
}
