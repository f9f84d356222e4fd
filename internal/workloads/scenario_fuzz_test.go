package workloads

import (
	"errors"
	"os"
	"testing"
)

// FuzzParseScenario checks that no input makes the scenario parser panic, and that
// every rejection is a positioned *ScenarioError.
func FuzzParseScenario(f *testing.F) {
	for _, path := range exampleFiles(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("phases: [{arrival: sine, rate: 5, amplitude: 5, period: 1s, duration: 1s}]"))
	f.Add([]byte("a: &x [*x]\nphases: *x"))
	f.Add([]byte("mix: {read: 1e308, write: 1e308}\nphases: [{duration: 1s}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseScenario("fuzz.yaml", data)
		if err != nil {
			var se *ScenarioError
			if !errors.As(err, &se) || se.Line < 1 || se.Column < 1 {
				t.Fatalf("error %v is not a positioned *ScenarioError", err)
			}
			return
		}
		if len(s.Phases) == 0 {
			t.Fatal("accepted a scenario without phases")
		}
		for _, ph := range s.Phases {
			if ph.Duration <= 0 {
				t.Fatalf("accepted phase %q with duration %v", ph.Name, ph.Duration)
			}
			if ph.Open() && ph.Arrival != ArrivalReplay {
				if _, err := ParseArrival(ph.Arrival, ph.ArrivalParams(1)); err != nil {
					t.Fatalf("accepted phase %q whose arrival does not build: %v", ph.Name, err)
				}
			}
		}
	})
}
