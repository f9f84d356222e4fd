package reports

import (
	"fmt"
	"reflect"
	"time"

	"github.com/syncbench/syncbench/result"
)

// SameRunError reports a run given to Merge twice (the same file twice, or a
// copy of it): merging it would double its counts and rates.
type SameRunError struct {
	// First and Other are the positions of the two copies in Merge's input.
	First, Other int
	// Impl, Host and Start identify the run.
	Impl, Host string
	Start      time.Time
}

func (e *SameRunError) Error() string {
	return fmt.Sprintf("results %d and %d are the same run (%s on %s, started %s): merging it twice would double its counts (allowed: results of different processes or machines)",
		e.First, e.Other, e.Impl, e.Host, e.Start.Format(time.RFC3339Nano))
}

// sameRun finds a run that appears twice among results. Two results are the
// same run when they started at the same instant on the same host and are
// identical in every field: separate processes, even a fleet's members that
// agree on one start instant, never record identical counts and histograms.
func sameRun(results []*result.Result) error {
	for i, a := range results {
		for j := i + 1; j < len(results); j++ {
			b := results[j]
			if a.Start.Equal(b.Start) && a.Env.Hostname == b.Env.Hostname && reflect.DeepEqual(a, b) {
				return &SameRunError{First: i, Other: j, Impl: a.Impl, Host: a.Env.Hostname, Start: a.Start}
			}
		}
	}
	return nil
}
