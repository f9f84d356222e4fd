package locks

import (
	"fmt"
	"testing"
)

func TestStripeCount(t *testing.T) {
	tests := []struct{ workers, procs, want int }{
		{0, 0, 1},
		{1, 8, 1},
		{3, 8, 4},
		{8, 2, 4},
		{5, 4, 8},
		{64, 8, 16},
		{1000, 3, 8},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d workers on %d procs use %d stripes", tt.workers, tt.procs, tt.want), func(t *testing.T) {
			if got := stripeCount(tt.workers, tt.procs); got != tt.want {
				t.Errorf("stripeCount(%d, %d) = %d, want %d", tt.workers, tt.procs, got, tt.want)
			}
		})
	}
}
