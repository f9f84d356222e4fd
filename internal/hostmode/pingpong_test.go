package hostmode

import (
	"runtime"
	"testing"
	"time"
)

func TestPingPongMeasuresOrSaysItCouldNot(t *testing.T) {
	p := PingPong(2 * time.Millisecond)
	if (p.Batches == 0) != (p.RoundTripNs == 0) {
		t.Fatalf("probe %+v: a round trip without batches, or batches without one", p)
	}
	if runtime.NumCPU() >= 2 && p.Batches > 0 && !(p.RoundTripNs > 0) {
		t.Errorf("probe %+v: batches ran but the round trip is not positive", p)
	}
}

func TestPingPongRestoresGOMAXPROCS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	PingPong(time.Millisecond)
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Errorf("GOMAXPROCS after the probe = %d, want the 1 it was", got)
	}
}
