package forks

import (
	"slices"
	"testing"
)

func TestParseRole(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Role
		ok   bool
	}{
		{"1/1", Single, true},
		{"3/6", Role{3, 6}, true},
		{"0/6", Role{}, false},
		{"7/6", Role{}, false},
		{"3", Role{}, false},
		{"a/b", Role{}, false},
	} {
		got, err := ParseRole(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseRole(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
		if tc.ok && got.String() != tc.in {
			t.Errorf("Role %v spells %q, want %q", got, got.String(), tc.in)
		}
	}
}

func TestRotatePutsEveryCellInEveryPosition(t *testing.T) {
	cells := []string{"a", "b", "c"}
	first := map[string]int{}
	for fork := 1; fork <= 6; fork++ {
		got := Rotate(cells, Role{fork, 6})
		if len(got) != 3 {
			t.Fatalf("fork %d runs %v", fork, got)
		}
		first[got[0]]++
		sorted := slices.Clone(got)
		slices.Sort(sorted)
		if !slices.Equal(sorted, cells) {
			t.Errorf("fork %d runs %v, not every cell once", fork, got)
		}
	}
	for _, c := range cells {
		if first[c] != 2 {
			t.Errorf("cell %s runs first in %d of 6 forks, want 2", c, first[c])
		}
	}
	if got := Rotate(cells, Role{2, 3}); !slices.Equal(got, []string{"b", "c", "a"}) {
		t.Errorf("fork 2 runs %v, want [b c a]", got)
	}
	if !slices.Equal(cells, []string{"a", "b", "c"}) {
		t.Error("Rotate modified its input")
	}
	if got := Rotate([]string(nil), Single); len(got) != 0 {
		t.Errorf("no cells rotate to %v", got)
	}
}
