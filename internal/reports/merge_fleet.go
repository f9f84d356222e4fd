package reports

import (
	"fmt"

	"github.com/syncbench/syncbench/result"
)

// FleetMismatchError reports results of fleet members that did not measure one
// window together: another fleet, another gathering of the same fleet, a
// result from outside any fleet, or one member twice.
type FleetMismatchError struct {
	// Index is the position in the input of the result that does not belong.
	Index int
	// Detail says how it differs from result 0.
	Detail string
}

func (e *FleetMismatchError) Error() string {
	return fmt.Sprintf("result %d is not of the same fleet window as result 0: %s", e.Index, e.Detail)
}

// mergeFleet checks that results measured by fleet members (Extras["fleet"])
// all belong to one gathering and window, each member once, and returns the
// window to record in their merge (Member and host cleared, Members counted);
// nil when no result is a fleet member's.
func mergeFleet(results []*result.Result) (*result.FleetWindow, error) {
	first, inFleet, err := result.FleetWindowOf(results[0])
	if err != nil {
		return nil, fmt.Errorf("result 0: %v", err)
	}
	seen := map[int]bool{}
	members := 0
	for i, r := range results {
		w, ok, err := result.FleetWindowOf(r)
		switch {
		case err != nil:
			return nil, fmt.Errorf("result %d: %v", i, err)
		case ok != inFleet:
			return nil, &FleetMismatchError{Index: i, Detail: "one was measured by a fleet member and the other was not"}
		case !ok:
			continue
		case !w.SameWindow(first):
			return nil, &FleetMismatchError{Index: i, Detail: fmt.Sprintf("fleet %s:%d round %d (gathering %s) opened at %s for %dns, result 0's fleet %s:%d round %d (gathering %s) at %s for %dns",
				w.Name, w.Size, w.Round, w.ID, w.Start, w.DurationNs, first.Name, first.Size, first.Round, first.ID, first.Start, first.DurationNs)}
		}
		if w.Member == 0 { // already a merge
			members += w.Members
			continue
		}
		if seen[w.Member] {
			return nil, &FleetMismatchError{Index: i, Detail: fmt.Sprintf("member %d of fleet %s appears twice", w.Member, w.Name)}
		}
		seen[w.Member] = true
		members++
	}
	if !inFleet {
		return nil, nil
	}
	out := first
	out.Member, out.Host, out.ClockOffsetNs, out.ClockErrorNs = 0, "", 0, 0
	out.Members = members
	return &out, nil
}
