package result

import "testing"

func TestFloorModeTextNamesTheModeAndTheFullyTimedCost(t *testing.T) {
	for _, c := range []struct {
		floor Floor
		want  string
	}{
		{Floor{NsPerOp: 35}, ""},
		{Floor{NsPerOp: 130, Mode: "full", FullNsPerOp: 130}, "full timing"},
		{Floor{NsPerOp: 35, Mode: "sampled", FullNsPerOp: 128}, "sampled timing; every op timed: 128ns/op"},
		{Floor{NsPerOp: 35, Mode: "sampled"}, "sampled timing"},
	} {
		if got := c.floor.ModeText(); got != c.want {
			t.Errorf("%+v: ModeText() = %q, want %q", c.floor, got, c.want)
		}
	}
}
