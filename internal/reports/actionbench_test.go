package reports

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestWriteActionBenchmarkIsTheCustomToolsJSON(t *testing.T) {
	t.Parallel()
	results := append(makeCell(t, fixture{impl: "mutex", conc: 8, ops: 500, baseNs: 300, seed: 1}, 3),
		makeResult(t, fixture{impl: "tokenbucket", family: "limiters", rate: 1000, conc: 2, ops: 100, baseNs: 50, denyEvery: 2, limit: "500"}))
	for _, tt := range []struct {
		direction string
		wantUnits map[string]bool
		wantNames []string
	}{
		{SmallerIsBetter, map[string]bool{"ns": true}, []string{"impl=mutex/workload=mixed/conc=8/rps=0 response p99", "impl=tokenbucket/workload=mixed/conc=2/rps=1000/limit=500 service p99"}},
		{BiggerIsBetter, map[string]bool{"ops/s": true}, []string{"impl=mutex/workload=mixed/conc=8/rps=0 achieved", "impl=tokenbucket/workload=mixed/conc=2/rps=1000/limit=500 admitted"}},
	} {
		t.Run(tt.direction+" is better", func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteActionBenchmark(&buf, results, tt.direction); err != nil {
				t.Fatal(err)
			}
			// The shape the tool reads: a list of objects with a string name,
			// a string unit and a number value, nothing else required.
			var raw []map[string]any
			if err := json.Unmarshal(buf.Bytes(), &raw); err != nil {
				t.Fatalf("not a JSON list of objects: %v\n%s", err, buf.String())
			}
			seen := map[string]bool{}
			for _, e := range raw {
				name, ok1 := e["name"].(string)
				unit, ok2 := e["unit"].(string)
				_, ok3 := e["value"].(float64)
				if !ok1 || !ok2 || !ok3 {
					t.Fatalf("entry %v lacks a string name, string unit or number value", e)
				}
				if !tt.wantUnits[unit] {
					t.Errorf("%s: unit %q in a %s-is-better file", name, unit, tt.direction)
				}
				if seen[name] {
					t.Errorf("name %q appears twice: the tool would chart one series over two", name)
				}
				seen[name] = true
			}
			for _, want := range tt.wantNames {
				if !seen["Loadgen/"+want] {
					t.Errorf("no entry %q among %v", want, seen)
				}
			}
		})
	}
	t.Run("repetitions become their median with the range", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WriteActionBenchmark(&buf, results[:3], BiggerIsBetter); err != nil {
			t.Fatal(err)
		}
		var got []ActionBenchmarkEntry
		if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		spread := GroupCells(results[:3])[0].Spread(achieved)
		if len(got) != 1 || got[0].Value != spread.Median || !strings.Contains(got[0].Extra, "median of 3") || got[0].Range == "" {
			t.Errorf("got %+v, want one entry of value %v (median of 3) with a range", got, spread.Median)
		}
	})
	if err := WriteActionBenchmark(&bytes.Buffer{}, results, "up"); err == nil {
		t.Error("an unknown direction was accepted")
	}
}
