package result

import (
	"encoding/json"
	"fmt"
)

// FleetExtrasKey is the Result.Extras group of a run measured by a member of a
// fleet (loadgen -fleet): which fleet, which gathering and which window.
const FleetExtrasKey = "fleet"

// FleetWindow is the Extras["fleet"] entry of a fleet member's result, or of
// the merge of several members. Members of one gathering share Name, ID, Size,
// Round, Start and DurationNs; results that differ in any of them measured
// different windows and must not be merged as one run.
type FleetWindow struct {
	// Name is the fleet's name, as given to -fleet NAME:N.
	Name string `json:"name"`
	// ID identifies one gathering of the fleet: the same name used again, or
	// the next implementation of the same invocation, gathers under a new ID.
	ID string `json:"id"`
	// Size is N, the number of members the fleet waited for.
	Size int `json:"size"`
	// Round counts the gatherings of one invocation from 1: one per measured
	// cell (implementation, parameters, repetition), in plan order.
	Round int `json:"round"`
	// Start is the agreed opening of the measured window, RFC 3339 with
	// nanoseconds, on the clock of the Redis server the fleet met at. (A
	// string: a float64, as JSON numbers are read back, cannot hold Unix
	// nanoseconds exactly.)
	Start string `json:"start"`
	// DurationNs is the window's length.
	DurationNs int64 `json:"duration_ns"`
	// Member is this member's arrival order, from 1; 0 in a merged result.
	Member int `json:"member,omitempty"`
	// Host describes the member ("host/pid"); empty in a merged result.
	Host string `json:"host,omitempty"`
	// ClockOffsetNs is the member's wall clock minus the Redis server's, as
	// measured over the round trip with the smallest delay; the member opened
	// its window at Start plus this offset on its own clock. ClockErrorNs
	// bounds that measurement's error: half that round trip.
	ClockOffsetNs int64 `json:"clock_offset_ns,omitempty"`
	ClockErrorNs  int64 `json:"clock_error_ns,omitempty"`
	// Members is, in a merged result, how many members' results it combines.
	Members int `json:"members,omitempty"`
}

// Map returns w as a Result.Extras entry.
func (w FleetWindow) Map() map[string]any { return ExtrasMap(w) }

// SameWindow reports whether w and o are of one gathering and window.
func (w FleetWindow) SameWindow(o FleetWindow) bool {
	return w.Name == o.Name && w.ID == o.ID && w.Size == o.Size && w.Round == o.Round &&
		w.Start == o.Start && w.DurationNs == o.DurationNs
}

// FleetWindowOf returns r's Extras["fleet"]: ok is false when r was not
// measured by a fleet member; an error means the entry is malformed.
func FleetWindowOf(r *Result) (w FleetWindow, ok bool, err error) {
	m, ok := r.Extras[FleetExtrasKey]
	if !ok {
		return FleetWindow{}, false, nil
	}
	data, err := json.Marshal(m)
	if err == nil {
		err = json.Unmarshal(data, &w)
	}
	if err != nil || w.ID == "" || w.Start == "" {
		return FleetWindow{}, true, fmt.Errorf("extras.%s is malformed: %v", FleetExtrasKey, m)
	}
	return w, true, nil
}
