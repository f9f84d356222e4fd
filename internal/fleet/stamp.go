package fleet

import (
	"time"

	"github.com/syncbench/syncbench/result"
)

// Record returns the window as a result's Extras["fleet"] entry.
func (w *Window) Record() result.FleetWindow {
	return result.FleetWindow{
		Name:          w.Fleet.Name,
		ID:            w.ID,
		Size:          w.Fleet.Size,
		Round:         w.Round,
		Start:         w.ServerStart.UTC().Format(time.RFC3339Nano),
		DurationNs:    int64(w.Duration),
		Member:        w.Member,
		Host:          w.Describe,
		ClockOffsetNs: int64(w.ClockOffset),
		ClockErrorNs:  int64(w.ClockError),
	}
}

// Stamp records the window in res, a result this member measured in it.
func (w *Window) Stamp(res *result.Result) {
	if res.Extras == nil {
		res.Extras = map[string]map[string]any{}
	}
	res.Extras[result.FleetExtrasKey] = w.Record().Map()
}
