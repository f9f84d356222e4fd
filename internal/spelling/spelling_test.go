package spelling

import (
	"slices"
	"testing"
)

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"mutex", "mutex", 0}, {"mutx", "mutex", 1}, {"rwmutex", "mutex", 2}, {"", "abc", 3}, {"kitten", "sitting", 3},
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestClosestPrefersTheNearestAndRespectsTheBound(t *testing.T) {
	candidates := []string{"rwmutex", "mutex", "atomic", "casspin"}
	if got := Closest("mutx", candidates, 3, 2); !slices.Equal(got, []string{"mutex", "rwmutex"}) {
		t.Errorf("Closest(mutx) = %v, want [mutex rwmutex] (distances 1 and 3)", got)
	}
	if got := Closest("zzzzzz", candidates, 2, 2); got != nil {
		t.Errorf("Closest(zzzzzz) = %v, want nothing within 2 edits", got)
	}
	if got := Closest("mutx", candidates, 3, 1); len(got) != 1 {
		t.Errorf("Closest with n=1 returned %v", got)
	}
}
