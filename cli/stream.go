package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/syncbench/syncbench/internal/livemetrics"
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

// streamWriteTimeout bounds how long one line may wait for a FIFO's or a
// terminal's reader. The lines are written from the run's collector: a reader
// that stopped reading must not stall the run (or hang it forever, as a full
// pipe would), so past this the stream fails, is reported, and the run goes on.
const streamWriteTimeout = 2 * time.Second

// stream writes StreamLines to a file or stdout, one Write per line and no
// buffering, so a reader tailing it sees each interval as it closes. It is
// safe for concurrent use.
//
// It never destroys what it did not write: an existing regular file is emptied
// only when the first line is written (so a run refused or failed before its
// first interval leaves the file as it was), and discard removes only a file
// openStream created.
type stream struct {
	mu   sync.Mutex
	w    io.Writer
	file *os.File // nil when writing to stdout
	name string   // "-stream FILE" or "-stream -", for errors
	// created is set when openStream created the file; truncate when it
	// is an existing regular file still to be emptied by the first line.
	created, truncate bool
	lines             int
	err               error
}

// openStream opens -stream's target, after every check of the plan has passed
// (checkStreamTarget refused what cannot be written to): "-" for stdout, a
// regular file (created, or emptied at the first line), a FIFO that a reader
// has open, or a character device such as a terminal. A FIFO nobody reads is an
// error here, not a hang later.
func openStream(target string, stdout io.Writer) (*stream, error) {
	if target == "-" {
		return &stream{w: stdout, name: "-stream -"}, nil
	}
	s := &stream{name: fmt.Sprintf("-stream %q", target)}
	// O_EXCL tells a file created now from one that was there: only the
	// first may ever be removed.
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err == nil {
		s.w, s.file, s.created = f, f, true
		return s, nil
	}
	if !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s cannot be written: %v", s.name, unwrapPathError(err))
	}
	// Non-blocking: opening a FIFO for writing otherwise waits for a reader,
	// and without one fails with ENXIO, which is what the user must hear.
	f, err = os.OpenFile(target, os.O_WRONLY|syscall.O_NONBLOCK, 0)
	if errors.Is(err, syscall.ENXIO) {
		return nil, fmt.Errorf("%s is a FIFO that no process has open for reading (start its reader first)", s.name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s cannot be written: %v", s.name, unwrapPathError(err))
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s cannot be written: %v", s.name, unwrapPathError(err))
	}
	s.w, s.file, s.truncate = f, f, info.Mode().IsRegular()
	return s, nil
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
		s.write(append(b, '\n'))
	}
}

// write writes one line; after the first failure it writes nothing more and
// keeps that failure for close to report.
func (s *stream) write(line []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return
	}
	if s.truncate {
		s.truncate = false
		if s.err = s.file.Truncate(0); s.err != nil {
			return
		}
	}
	if s.file != nil {
		// Regular files take no deadline (os.ErrNoDeadline): they do not
		// block on a reader.
		_ = s.file.SetWriteDeadline(time.Now().Add(streamWriteTimeout))
	}
	_, s.err = s.w.Write(line)
	if s.err == nil {
		s.lines++
	}
}

// discard closes the stream and removes its file if openStream created it:
// bad input found after it was opened (a fleet that never gathered) leaves
// nothing behind, and an existing file, a FIFO or a device is never removed.
func (s *stream) discard() {
	if s == nil || s.file == nil {
		return
	}
	s.file.Close()
	if s.created {
		os.Remove(s.file.Name())
	}
}

// close closes the file and returns the first write error, saying what it
// means: a reader gone (a closed pipe), one that stopped reading, a full disk.
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
	if s.err == nil {
		return nil
	}
	err := unwrapPathError(s.err)
	switch {
	case errors.Is(err, syscall.EPIPE):
		return fmt.Errorf("%s: the reader closed its end after %d lines (broken pipe); no more lines were written", s.name, s.lines)
	case errors.Is(err, os.ErrDeadlineExceeded):
		return fmt.Errorf("%s: the reader stopped reading: a line waited %v after %d lines; no more lines were written", s.name, streamWriteTimeout, s.lines)
	}
	return fmt.Errorf("%s: writing failed after %d lines: %v", s.name, s.lines, err)
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

// liveRun is a cell repetition's labels in the live metrics: the stream
// lines' fixed part.
func (p *plan) liveRun(c cell, rep int) livemetrics.Run {
	l := p.streamLine(c, rep)
	return livemetrics.Run{Cell: l.Run, Impl: l.Impl, Family: l.Family, Workload: l.Workload, Rate: l.Rate, Concurrency: l.Concurrency}
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
