package result

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds the result-file loader arbitrary bytes: it must never panic,
// and whatever it accepts must be usable: every histogram decodes, and the
// result survives a write and a second load unchanged. Seeds are real result
// files (testdata/result-*.json); the corpus the fuzzer found is kept in
// testdata/fuzz/FuzzDecode. Run: go test -run '^$' -fuzz FuzzDecode -fuzztime 60s -fuzzminimizetime 1s ./result
// (the default minimisation, 60 s per new input, stalls on result-sized inputs).
func FuzzDecode(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "result-*.json"))
	for _, path := range seeds {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"schema":"syncbench/result/v1","impl":"x"}`))
	f.Add([]byte(`{"schema":"syncbench/result/v1","impl":"x","counts":{"completed":1,"ok":1}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Decode(bytes.NewReader(data))
		if err != nil {
			if _, ok := err.(*FormatError); !ok {
				t.Fatalf("Decode error %T (%v) is not a *FormatError", err, err)
			}
			return
		}
		for name, enc := range map[string]string{"response": r.Histogram.Response, "service": r.Histogram.Service, "lag": r.Histogram.Lag} {
			if enc == "" {
				continue
			}
			if _, err := DecodeHistogram(enc); err != nil {
				t.Fatalf("an accepted result's %s histogram does not decode: %v", name, err)
			}
		}
		out, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("an accepted result does not encode: %v", err)
		}
		again, err := Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("an accepted result, written again, is refused: %v", err)
		}
		out2, _ := json.Marshal(again)
		if !bytes.Equal(out, out2) {
			t.Fatalf("a result changes when written and loaded again:\n%s\n%s", out, out2)
		}
	})
}

// FuzzParseThreshold feeds the threshold parser arbitrary text: it must never
// panic, errors are *ThresholdError, and an accepted threshold's String parses
// back to the same metric and comparison with its limit in its printed
// precision. Run: go test -run '^$' -fuzz FuzzParseThreshold -fuzztime 60s -fuzzminimizetime 1s ./result
