package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/syncbench/syncbench/result"
)

// StreamLine is one line of -stream output: one interval of one run, written
// when the interval closes, as one JSON object per line (JSON Lines), like k6
// --out json or vegeta -every. Interval holds the interval's figures exactly as
// the result's series will.
type StreamLine struct {
	// Type is "interval" (the only kind of line so far).
	Type string `json:"type"`
	// Run names the run as result files do: the implementation and every swept
	// dimension ("mutex-c8-r2").
	Run         string          `json:"run"`
	Impl        string          `json:"impl"`
	Family      string          `json:"family"`
	Workload    string          `json:"workload,omitempty"`
	Repetition  int             `json:"repetition,omitempty"`
	Rate        float64         `json:"rate"`
	Concurrency int             `json:"concurrency"`
	Interval    result.Interval `json:"interval"`
}

// stream writes StreamLines to a file or stdout, one Write per line and no
// buffering, so a reader tailing it sees each interval as it closes. It is
// safe for concurrent use.
type stream struct {
	mu   sync.Mutex
	w    io.Writer
	file *os.File // nil when writing to stdout
	err  error
}

// openStream opens -stream's target: "-" for stdout, else a file created (or
// truncated) now, before any load runs, so a bad path is bad input.
func openStream(target string, stdout io.Writer) (*stream, error) {
	if target == "-" {
		return &stream{w: stdout}, nil
	}
	f, err := os.Create(target)
	if err != nil {
		return nil, fmt.Errorf("-stream %q cannot be written: %v", target, unwrapPathError(err))
	}
	return &stream{w: f, file: f}, nil
}

// hook returns a workloads.Hooks.OnInterval callback writing line's fields with
// each interval.
func (s *stream) hook(line StreamLine) func(result.Interval) {
	if s == nil {
		return nil
	}
	line.Type = "interval"
	return func(iv result.Interval) {
		line.Interval = iv
		b, err := json.Marshal(line)
		if err != nil {
			return // an Interval holds plain numbers; cannot happen
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.err == nil {
			_, s.err = s.w.Write(append(b, '\n'))
		}
	}
}

// discard closes and removes a -stream file nothing was written to: bad input
// found after it was opened leaves nothing behind.
func (s *stream) discard() {
	if s == nil || s.file == nil {
		return
	}
	s.file.Close()
	os.Remove(s.file.Name())
}

// close closes the file and returns the first write error.
func (s *stream) close() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.file != nil {
		if err := s.file.Close(); err != nil && s.err == nil {
			s.err = err
		}
	}
	return s.err
}

// chainIntervals calls every non-nil f in order.
func chainIntervals(fs ...func(result.Interval)) func(result.Interval) {
	var live []func(result.Interval)
	for _, f := range fs {
		if f != nil {
			live = append(live, f)
		}
	}
	switch len(live) {
	case 0:
		return nil
	case 1:
		return live[0]
	}
	return func(iv result.Interval) {
		for _, f := range live {
			f(iv)
		}
	}
}

// streamLine is the fixed part of a cell repetition's stream lines.
func (p *plan) streamLine(c cell, rep int) StreamLine {
	repetition := 0
	if p.flags.count > 1 {
		repetition = rep
	}
	return StreamLine{Run: p.cellLabel(c, rep), Impl: c.impl.Name, Family: c.impl.Family, Workload: p.workloadName(c),
		Repetition: repetition, Rate: c.rate, Concurrency: c.concurrency}
}
