package metrics

import "testing"

func TestEquivalentRangeMatchesTheHistogram(t *testing.T) {
	h := NewHistogram()
	for _, v := range []int64{1, 2, 2047, 2048, 2049, 4095, 4096, 4097, 1e6, 123456789, 3e9, 3e12} {
		lo, hi := EquivalentRange(v)
		if lo > v || hi < v || !h.ValuesAreEquivalent(lo, hi) || !h.ValuesAreEquivalent(lo, v) {
			t.Fatalf("EquivalentRange(%d) = [%d, %d]: not one histogram bucket holding v", v, lo, hi)
		}
		if lo > 1 && h.ValuesAreEquivalent(lo-1, lo) {
			t.Errorf("EquivalentRange(%d) starts at %d, but %d is equivalent too", v, lo, lo-1)
		}
		if hi < highestTrackable && h.ValuesAreEquivalent(hi, hi+1) {
			t.Errorf("EquivalentRange(%d) ends at %d, but %d is equivalent too", v, hi, hi+1)
		}
	}
}

// The driver's interval points read the maximum as the 100th percentile, which
// costs a scan of the counts where Max walks every bucket: the two must agree.
