package reports

import (
	"fmt"
	"sort"
)

// fairnessLine names the fairest and least fair implementations by Jain's index
// (ImplStats["jain_fairness"], 1 = every worker got the same share), or "".
func fairnessLine(cells []*Cell) string {
	type fair struct {
		impl string
		j    float64
	}
	var fs []fair
	for _, c := range cells {
		var v []float64
		for _, r := range c.Runs {
			if j, ok := r.ImplStats["jain_fairness"]; ok {
				v = append(v, j)
			}
		}
		if len(v) > 0 {
			fs = append(fs, fair{c.Impl, SpreadOf(v).Median})
		}
	}
	if len(fs) < 2 {
		return ""
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].j > fs[j].j })
	return fmt.Sprintf("**Fairness** (Jain's index over per-worker acquisitions, 1 = equal shares): fairest `%s` (%.3f), least fair `%s` (%.3f).",
		fs[0].impl, fs[0].j, fs[len(fs)-1].impl, fs[len(fs)-1].j)
}
