package result

import "testing"

func TestTheHundredthPercentileIsTheMaximum(t *testing.T) {
	h := NewHistogram()
	for i, v := range []int64{1, 999, 2047, 2048, 2049, 3_000_000, 12_345_678_901, 3_599_999_999_999} {
		_ = h.RecordValues(v, int64(i+1))
		if got, want := h.ValueAtQuantile(100), h.Max(); got != want {
			t.Fatalf("after recording %d: p100 = %d, max = %d", v, got, want)
		}
	}
}
