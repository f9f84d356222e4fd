package reports

import (
	"maps"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// The tables of the families in front of a scheduled backend: each limit's or
// breaker's scores against the backend's truth, and what its callers saw. The
// caller's p99 is of the calls that ended OK, twice: inside the target (service:
// the limit's or breaker's own doing, and the backend's queue behind it) and from
// the intended start (response: what a caller waited, the harness's lateness
// included), so a loaded machine's lag is not read as the target's.
func init() {
	knownColumns[adaptiveGroup] = []column{
		{"tracking_error_pct", "tracking error", units.Percent},
		{"drop_converge_ns", "90% of the drop after", units.Duration},
		{"drop_overshoot_pct", "overshoot past it", units.Percent},
		{"drop_settled", "settled at", units.Number},
		{"rise_converge_ns", "90% of the rise after", units.Duration},
		{"rise_overshoot_pct", "overshoot past it ", units.Percent},
		{"goodput_per_s", "goodput/s", units.Rate},
		{"shed_pct", "shed", units.Percent},
		{"ok_service_p99_ns", "ok p99 (in target)", units.Duration},
		{"ok_response_p99_ns", "ok p99 (response)", units.Duration},
		{"over_limit", "over the limit", units.Count},
	}
	textColumns[adaptiveGroup] = []column{{key: "backend", label: "backend schedule"}}
	groupTitles[adaptiveGroup] = "Adaptive limits against the true capacity"
	knownColumns[breakerGroup] = []column{
		{"open_after_ns", "opened after", units.Duration},
		{"failing_admitted", "failing calls let through", units.Count},
		{"healthy_shed", "healthy calls shed", units.Count},
		{"close_after_ns", "closed after recovery", units.Duration},
		{"probes", "probes", units.Count},
		{"goodput_per_s", "goodput/s", units.Rate},
		{"ok_service_p99_ns", "ok p99 (in target)", units.Duration},
		{"ok_response_p99_ns", "ok p99 (response)", units.Duration},
		{"open_admitted", "admitted while open", units.Count},
		{"illegal_transitions", "illegal transitions", units.Count},
	}
	textColumns[breakerGroup] = []column{{key: "backend", label: "backend schedule"}}
	groupTitles[breakerGroup] = "Breakers against the true failure rate"
	for _, g := range []string{adaptiveGroup, breakerGroup} {
		groupGetters[g] = withCallerP99(g)
	}
}

// withCallerP99 returns a getter of Extras[group] with the OK calls' p99s added.
func withCallerP99(group string) func(*result.Result) map[string]any {
	return func(r *result.Result) map[string]any {
		src := r.Extras[group]
		if src == nil {
			return nil
		}
		m := make(map[string]any, len(src)+2)
		maps.Copy(m, src)
		for _, s := range r.Split {
			if s.Outcome == "ok" && s.Count > 0 {
				m["ok_service_p99_ns"] = float64(s.Latency.Service.P99)
				m["ok_response_p99_ns"] = float64(s.Latency.Response.P99)
			}
		}
		return m
	}
}
