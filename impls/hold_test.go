package impls

import (
	"context"
	"testing"
	"time"
)

func TestHoldEndsWhenItsContextIsDone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// An hour-long hold on a cancelled context: the test would time out, not
	// fail, if Hold ignored ctx; no wall-clock bound is asserted.
	if Hold(ctx, time.Hour) {
		t.Fatal("Hold on a cancelled context reports a full hold")
	}
	if !Hold(context.Background(), time.Millisecond) || !Hold(ctx, 0) {
		t.Fatal("a hold that was not cut short reports otherwise")
	}
}
