package cli

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/syncbench/syncbench/result"
)

// statusLine is the one-line live status (elapsed, ops/s, p99 so far) rewritten in
// place on stderr. It is disabled unless stderr is a terminal and -quiet is off,
// so logs and pipes never see carriage returns.
type statusLine struct {
	w       io.Writer
	enabled bool
	mu      sync.Mutex
	shown   bool
}

func newStatusLine(w io.Writer, enabled bool) *statusLine {
	return &statusLine{w: w, enabled: enabled}
}

// hook returns a workloads.Hooks.OnInterval callback for one run, or nil.
func (s *statusLine) hook(label string) func(result.Interval) {
	if !s.enabled {
		return nil
	}
	var worstP99 int64
	return func(iv result.Interval) {
		worstP99 = max(worstP99, iv.ResponseP99)
		elapsed := time.Duration(iv.OffsetNs + iv.DurationNs).Round(time.Second)
		s.mu.Lock()
		defer s.mu.Unlock()
		fmt.Fprintf(s.w, "\r\033[K%s  %v  %s ops/s  p99 so far %s", label, elapsed, formatCount(iv.Achieved), formatNs(worstP99))
		s.shown = true
	}
}

// clear erases the status line before the summary is printed.
func (s *statusLine) clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shown {
		fmt.Fprint(s.w, "\r\033[K")
		s.shown = false
	}
}
