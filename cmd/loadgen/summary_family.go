package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/syncbench/syncbench/metrics"
)

// familyNotes renders the figures a target reported about itself (peak weight,
// fairness, live keyed limiters, round trips), one line per result that has any.
func familyNotes(r *metrics.Result) []string {
	if len(r.ImplStats) == 0 {
		return nil
	}
	keys := make([]string, 0, len(r.ImplStats))
	for k := range r.ImplStats {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%.4g", k, r.ImplStats[k]))
	}
	return []string{r.Impl + ": " + strings.Join(parts, " ")}
}
