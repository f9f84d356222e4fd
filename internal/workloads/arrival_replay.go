package workloads

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ReplayError reports a line of a replay file that is not a usable offset.
type ReplayError struct {
	// File is the file name, or "" when the offsets came from a stream.
	File string
	// Line is the 1-based line number; 0 for a problem with the whole input.
	Line int
	// Msg says what is wrong and what is allowed.
	Msg string
}

func (e *ReplayError) Error() string { return e.Pos() + ": " + e.Msg }

// Pos is the error's position: "FILE:LINE", "FILE" for a problem with the whole
// input, and "replay" in place of FILE for a stream.
func (e *ReplayError) Pos() string {
	pos := e.File
	if pos == "" {
		pos = "replay"
	}
	if e.Line > 0 {
		pos += ":" + strconv.Itoa(e.Line)
	}
	return pos
}

// replayArrivals yields recorded offsets: production traffic captured once and
// offered again, burst for burst.
type replayArrivals struct {
	offsets []time.Duration
	next    int
}

// replayRateWindow is the window RateAt counts arrivals over: long enough to
// smooth single gaps, short enough to follow a traffic shape second by second.
const replayRateWindow = time.Second

// Replay reads a schedule of absolute offsets, one per line, and returns it. An
// offset is a Go duration ("1.5ms", "2s") or a plain number of seconds ("0.0015");
// blank lines, everything after a '#' and a leading UTF-8 byte order mark are
// ignored. Offsets must be
// non-negative and must not decrease. Errors are *ReplayError values naming the
// line. The whole input is read up front, so a bad file fails before the run
// starts; memory is 8 bytes per offset. After the last offset Next reports false.
func Replay(r io.Reader) (Arrivals, error) {
	var offsets []time.Duration
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		raw := sc.Text()
		if line == 1 {
			// A UTF-8 byte order mark, as some editors write, is not part of
			// the first offset (the YAML loader skips one too).
			raw = strings.TrimPrefix(raw, "\ufeff")
		}
		text, _, _ := strings.Cut(raw, "#")
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		d, err := parseOffset(text)
		if err != nil {
			return nil, &ReplayError{Line: line, Msg: err.Error()}
		}
		if n := len(offsets); n > 0 && d < offsets[n-1] {
			return nil, &ReplayError{Line: line, Msg: fmt.Sprintf("offset %v is before the previous offset %v (allowed: offsets that never decrease)", d, offsets[n-1])}
		}
		offsets = append(offsets, d)
	}
	if err := sc.Err(); err != nil {
		return nil, &ReplayError{Line: line + 1, Msg: err.Error()}
	}
	if len(offsets) == 0 {
		return nil, &ReplayError{Msg: "no offsets (allowed: one offset per line, e.g. 1.5ms or 0.0015)"}
	}
	return &replayArrivals{offsets: offsets}, nil
}

// parseOffset reads one offset: a Go duration, or else a number of seconds.
func parseOffset(text string) (time.Duration, error) {
	// Errors name the line (ReplayError), never its text: the file may not be
	// an offsets file at all, and its content must not reach a terminal or log.
	bad := func() error {
		return errors.New("not a Go duration or a number of seconds (allowed: one offset per line, e.g. 1.5ms, 2s, 0.0015)")
	}
	d, err := time.ParseDuration(text)
	if err != nil {
		sec, ferr := strconv.ParseFloat(text, 64)
		if ferr != nil || math.IsNaN(sec) {
			return 0, bad()
		}
		if sec < 0 {
			return 0, errors.New("offset is negative (allowed: offsets ≥ 0 from the start of the run)")
		}
		var ok bool
		if d, ok = offsetAt(sec); !ok {
			return 0, errors.New("offset is too large (allowed: up to about 292 years)")
		}
	}
	if d < 0 {
		return 0, errors.New("offset is negative (allowed: offsets ≥ 0 from the start of the run)")
	}
	return d, nil
}

// Next returns the next recorded offset.
func (r *replayArrivals) Next() (time.Duration, bool) {
	if r.next >= len(r.offsets) {
		return 0, false
	}
	r.next++
	return r.offsets[r.next-1], true
}

// count returns the number of offsets before t.
func (r *replayArrivals) count(t time.Duration) int {
	return sort.Search(len(r.offsets), func(i int) bool { return r.offsets[i] >= t })
}

// RateAt estimates the recorded rate at t as the number of offsets in the one
// second centred on t. Near the ends the window is cut off, so the estimate dips.
func (r *replayArrivals) RateAt(t time.Duration) float64 {
	if t < 0 {
		return 0
	}
	n := r.count(t+replayRateWindow/2) - r.count(t-replayRateWindow/2)
	return float64(n) / replayRateWindow.Seconds()
}

func (r *replayArrivals) expected(t time.Duration) float64 {
	return float64(r.count(t))
}

// Span returns the last recorded offset.
func (r *replayArrivals) Span() time.Duration {
	return r.offsets[len(r.offsets)-1]
}
