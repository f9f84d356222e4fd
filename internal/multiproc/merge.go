package multiproc

import (
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/result"
)

// mergeProcs merges the results of one cell from several processes. ImplStats of
// file locks are counts (acquisitions, shared acquisitions, overlaps), so the
// merged result holds their sums; other families' stats do not always add and
// are kept only where reports.Merge keeps them (equal in every process).
func mergeProcs(results []*result.Result, impl impls.Impl, command string) (*result.Result, error) {
	merged, err := reports.Merge(results, false)
	if err != nil {
		return nil, err
	}
	merged.Command = command
	if impl.Family == impls.FamilyFileLocks {
		merged.ImplStats = map[string]float64{}
		for _, res := range results {
			for k, v := range res.ImplStats {
				merged.ImplStats[k] += v
			}
		}
	}
	if merged.Extras == nil {
		merged.Extras = map[string]map[string]any{}
	}
	merged.Extras[ExtrasKey] = map[string]any{"processes": len(results)}
	if impl.IsRateLimiter() {
		if acc := globalLimiterAccuracy(results, merged); acc != nil {
			merged.Extras[result.LimiterExtrasKey] = acc
		}
	}
	return merged, nil
}

// globalLimiterAccuracy is a shared (Redis) limiter's accuracy across every
// process: what all of them were admitted together against the one configured
// limit. Per-window maxima need the admission instants, which the children's
// results do not keep, so only the rate figures are given.
func globalLimiterAccuracy(results []*result.Result, merged *result.Result) map[string]any {
	child, ok := results[0].Extras[result.LimiterExtrasKey]
	if !ok {
		return nil
	}
	limit, burst := result.ExtraFloat(child["limit"]), result.ExtraFloat(child["burst"])
	secs := float64(merged.DurationNs) / 1e9
	if limit <= 0 || secs <= 0 {
		return nil
	}
	sustained := float64(merged.Counts.OK)
	if merged.Params.WarmupNs == 0 {
		sustained -= burst // a limiter that starts full admits its burst on top of the rate
	}
	return map[string]any{
		"global":         true,
		"admitted":       merged.Counts.OK,
		"admitted_rate":  merged.Rates.Admitted,
		"limit":          limit,
		"burst":          burst,
		"window_ns":      child["window_ns"],
		"rate_error_pct": 100 * (sustained/secs - limit) / limit,
	}
}
