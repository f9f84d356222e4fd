package impls

import (
	"testing"
	"time"
)

func TestAdmissionBoundMax(t *testing.T) {
	sec := time.Second
	rate := AdmissionBound{Algorithm: "token bucket", Shape: BoundRate, Rate: 1000, Burst: 100}
	sliding := AdmissionBound{Algorithm: "sliding log", Shape: BoundSlidingWindow, Rate: 1000, Window: sec, PerWindow: 1000}
	aligned := AdmissionBound{Algorithm: "fixed window", Shape: BoundAlignedWindow, Rate: 1000, Window: sec, PerWindow: 1000}
	both := AdmissionBound{Algorithm: "multi", Shape: BoundRateAndWindow, Rate: 1000, Burst: 100, Window: sec, PerWindow: 1000}
	tests := []struct {
		name string
		b    AdmissionBound
		w    time.Duration
		want float64
	}{
		{"a token bucket: b + r·w over one second", rate, sec, 1100},
		{"a token bucket: b at an instant", rate, 0, 100},
		{"a token bucket: b + r·w over 2.5 s", rate, 2500 * time.Millisecond, 2600},
		{"a sliding log: L in any window up to W", sliding, sec / 2, 1000},
		{"a sliding log: L·⌈w/W⌉ beyond", sliding, 1500 * time.Millisecond, 2000},
		{"a fixed window: 2L in any window up to W", aligned, sec, 2000},
		{"a fixed window: L·(⌈w/W⌉+1) beyond", aligned, 2 * sec, 3000},
		{"multi: the window's L under the bucket's b + r·w", both, sec, 1000},
		{"multi: the bucket's b at an instant", both, 0, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.b.Max(tt.w); got != tt.want {
				t.Errorf("Max(%v) = %v, want %v", tt.w, got, tt.want)
			}
		})
	}
	if _, ok := aligned.AlignedMax(); ok {
		t.Error("an aligned bound without an origin offers an aligned check")
	}
	aligned.Origin = time.Unix(1, 0)
	if l, ok := aligned.AlignedMax(); !ok || l != 1000 {
		t.Errorf("AlignedMax = %v, %v; want 1000, true", l, ok)
	}
	if (AdmissionBound{}).Stated() {
		t.Error("the zero bound says it was stated")
	}
}
