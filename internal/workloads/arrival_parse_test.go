package workloads

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseArrival(t *testing.T) {
	dir := t.TempDir()
	replayFile := filepath.Join(dir, "offsets.txt")
	if err := os.WriteFile(replayFile, []byte("0\n1ms\n2ms\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badReplay := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(badReplay, []byte("0\n2ms\n1ms\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	good := []struct {
		name string
		p    ArrivalParams
		mean float64 // nominal mean over 1 s
	}{
		{"constant", ArrivalParams{Rate: 500}, 500},
		{"Poisson", ArrivalParams{Rate: 500, Seed: 9}, 500}, // names are case-insensitive
		{"ramp", ArrivalParams{Rate: 1000, Duration: time.Second}, 500},
		{"ramp", ArrivalParams{RampFrom: 200, RampTo: 400, RampOver: time.Second}, 300},
		{"step", ArrivalParams{Stages: "100x500ms,300x500ms"}, 200},
		{"sine", ArrivalParams{Rate: 400, Period: 250 * time.Millisecond}, 400},
		{"burst", ArrivalParams{Rate: 1000}, 100},
		{"burst", ArrivalParams{Rate: 1000, BurstOn: 500 * time.Millisecond, BurstOff: 500 * time.Millisecond}, 500},
		{"replay", ArrivalParams{ReplayFile: replayFile}, 3},
	}
	for _, c := range good {
		t.Run("builds "+c.name+" that reports its rate", func(t *testing.T) {
			a, err := ParseArrival(c.name, c.p)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := MeanRate(a, time.Second)
			if !ok || got < c.mean*0.999 || got > c.mean*1.001 {
				t.Errorf("MeanRate over 1s = %v, %v; want %v", got, ok, c.mean)
			}
		})
	}

	bad := []struct {
		what, name string
		p          ArrivalParams
		want       []string
	}{
		{"an unknown name with a suggestion", "poison", ArrivalParams{Rate: 1}, []string{`unknown arrival "poison"`, "did you mean poisson?", "allowed: constant, poisson, ramp"}},
		{"an unknown name without one", "zigzag", ArrivalParams{Rate: 1}, []string{`unknown arrival "zigzag" (allowed:`}},
		{"constant without a rate", "constant", ArrivalParams{}, []string{"-arrival constant needs -rps > 0"}},
		{"poisson without a rate", "poisson", ArrivalParams{}, []string{"-arrival poisson needs -rps > 0"}},
		{"a negative rate", "constant", ArrivalParams{Rate: -5}, []string{"-rps -5", "allowed: 0 to 1e+09 ops/s"}},
		{"an impossibly high rate", "poisson", ArrivalParams{Rate: 1e12}, []string{"-rps 1e+12: not a usable rate"}},
		{"a negative ramp start", "ramp", ArrivalParams{RampFrom: -1, RampTo: 5, RampOver: time.Second}, []string{"-ramp-from -1"}},
		{"a ramp to nothing", "ramp", ArrivalParams{RampOver: time.Second}, []string{"needs -ramp-to or -rps"}},
		{"a ramp with no length", "ramp", ArrivalParams{Rate: 100}, []string{"needs -ramp-over > 0"}},
		{"a negative ramp length", "ramp", ArrivalParams{Rate: 100, RampOver: -time.Second}, []string{"-ramp-over -1s: negative"}},
		{"step without stages", "step", ArrivalParams{Rate: 100}, []string{"-stages is empty"}},
		{"a bad stage", "step", ArrivalParams{Stages: "10x1s,10xforever"}, []string{`stage 2 "10xforever"`}},
		{"a sine deeper than its mean", "sine", ArrivalParams{Rate: 100, Amplitude: 150}, []string{"-amplitude 150 is above -rps 100"}},
		{"a negative burst period", "burst", ArrivalParams{Rate: 100, BurstOff: -time.Millisecond}, []string{"-burst-off -1ms"}},
		{"replay without a file", "replay", ArrivalParams{}, []string{"needs -replay FILE"}},
		{"a missing replay file", "replay", ArrivalParams{ReplayFile: filepath.Join(dir, "nope")}, []string{"nope: no such file"}},
		{"a bad replay line", "replay", ArrivalParams{ReplayFile: badReplay}, []string{badReplay + ":3: offset 1ms is before"}},
	}
	for _, c := range bad {
		t.Run("rejects "+c.what, func(t *testing.T) {
			_, err := ParseArrival(c.name, c.p)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestArrivalHelp(t *testing.T) {
	help := ArrivalHelp()
	words := append(ArrivalNames(), "-arrival", "-rps", "-seed", "-ramp-from", "-ramp-to", "-ramp-over", "-stages", "-amplitude", "-period", "-burst-on", "-burst-off", "-replay FILE")
	for _, w := range words {
		if !strings.Contains(help, w) {
			t.Errorf("help does not mention %q", w)
		}
	}
}
