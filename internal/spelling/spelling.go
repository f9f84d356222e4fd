// Package spelling finds the known names closest to a misspelt one, for the
// "did you mean ...?" part of bad-input messages.
package spelling

import "sort"

// Closest returns up to n candidates within maxDist edits of name (Levenshtein
// distance in bytes), nearest first; ties keep the candidates' order. It returns
// nil when none is close enough. Safe for concurrent use.
func Closest(name string, candidates []string, maxDist, n int) []string {
	type scored struct {
		name string
		dist int
	}
	var near []scored
	for _, c := range candidates {
		if d := Distance(name, c); d <= maxDist {
			near = append(near, scored{c, d})
		}
	}
	sort.SliceStable(near, func(i, j int) bool { return near[i].dist < near[j].dist })
	var out []string
	for i := 0; i < len(near) && i < n; i++ {
		out = append(out, near[i].name)
	}
	return out
}

// Distance is the Levenshtein distance between a and b, in bytes.
func Distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
