package cli

import (
	"fmt"
	"strings"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// resilienceNote renders an adaptive limit's or a breaker's scores against the
// scheduled backend's truth (Extras["adaptive"], Extras["breaker"]), or "".
func resilienceNote(r *result.Result) string {
	num := func(m map[string]any, key string) (float64, bool) {
		v, ok := m[key]
		return result.ExtraFloat(v), ok && v != nil
	}
	dur := func(m map[string]any, key string) string {
		if v, ok := num(m, key); ok {
			return units.Duration(v)
		}
		return "never"
	}
	var parts []string
	if a, ok := r.Extras["adaptive"]; ok {
		v := func(key string) float64 { f, _ := num(a, key); return f }
		parts = append(parts, fmt.Sprintf("tracking error %s", units.Percent(v("tracking_error_pct"))))
		steps, _ := a["steps"].([]any)
		for _, s := range steps {
			st, _ := s.(map[string]any)
			what := "drop"
			if result.ExtraFloat(st["to"]) > result.ExtraFloat(st["from"]) {
				what = "rise"
			}
			reach := "never covered 90% of it"
			if c := result.ExtraFloat(st["converge_ns"]); c >= 0 {
				reach = "90% of it after " + units.Duration(c)
			}
			parts = append(parts, fmt.Sprintf("%s %s→%s at %s: %s, overshoot %s, settled at %s", what, units.Number(result.ExtraFloat(st["from"])), units.Number(result.ExtraFloat(st["to"])),
				units.Duration(result.ExtraFloat(st["at_ns"])), reach, units.Percent(result.ExtraFloat(st["overshoot_pct"])), units.Number(result.ExtraFloat(st["settled"]))))
		}
		parts = append(parts, fmt.Sprintf("goodput %s/s, shed %s", units.Rate(v("goodput_per_s")), units.Percent(v("shed_pct"))))
		return closedLoopCaveat(r, r.Impl+" against the true capacity: "+strings.Join(parts, "; "))
	}
	if b, ok := r.Extras["breaker"]; ok {
		v := func(key string) float64 { f, _ := num(b, key); return f }
		parts = append(parts,
			"opened "+dur(b, "open_after_ns")+" after the failure began",
			fmt.Sprintf("%s failing calls let through, %s healthy calls shed", units.Count(v("failing_admitted")), units.Count(v("healthy_shed"))),
			"closed "+dur(b, "close_after_ns")+" after the recovery",
			fmt.Sprintf("%s probes; goodput %s/s", units.Count(v("probes")), units.Rate(v("goodput_per_s"))))
		return closedLoopCaveat(r, r.Impl+" against the true failure rate: "+strings.Join(parts, ", "))
	}
	return ""
}

// closedLoopCaveat adds to a closed loop's note that its shed calls were
// reissued at once, which an open loop does not do.
func closedLoopCaveat(r *result.Result, note string) string {
	if r.Params.Model == "closed" {
		note += " (closed loop: each shed call was reissued at once; run open loop, -rps R -concurrency 64, for calls that arrive whatever the target does)"
	}
	return note
}
