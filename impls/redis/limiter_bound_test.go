package redis

import (
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

func TestEachRedisLimiterStatesItsBound(t *testing.T) {
	l, err := limitsOf(impls.Config{Limit: 1000, Burst: 100, Window: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		maxPerSec float64 // Max(1 s)
		rate      float64
	}{
		{NameGCRA, 1100, 1000},
		{NameTokenBucket, 1100, 1000},
		{NameRedisRate, 1100, 1000},
		{NameFixedWindow, 2000, 1000}, // L at the end of one window, L at the start of the next
		{NameSlidingLog, 1000, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := limiterBound(tt.name, l, 1)
			if got := b.Max(time.Second); got != tt.maxPerSec || b.Rate != tt.rate || !b.Stated() || b.PerKey {
				t.Errorf("Max(1s) = %v, rate %v, per key %v; want %v, %v, not per key", got, b.Rate, b.PerKey, tt.maxPerSec, tt.rate)
			}
			if _, aligned := b.AlignedMax(); aligned {
				t.Error("an aligned check with the server's unknown origin")
			}
			if !limiterBound(tt.name, l, 10).PerKey {
				t.Error("with 10 keys the bound is not per key")
			}
		})
	}
}
