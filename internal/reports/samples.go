package reports

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/syncbench/syncbench/result"
	"golang.org/x/perf/benchfmt"
)

// MetricKey names one compared quantity: a benchmark (or result cell) and a unit
// in benchfmt's tidy form ("sec/op", "ops/s", "p99-sec").
type MetricKey struct {
	Name, Unit string
}

// Samples are repeated measurements of several metrics, one side of a
// comparison. The zero value is empty and ready to use; it is not safe for
// concurrent use.
type Samples struct {
	// Values holds each metric's measurements in the order they were added.
	Values map[MetricKey][]float64
	// Order lists the metrics in the order first seen, so output is stable.
	Order []MetricKey
	// Units holds "better=" and "assume=" unit metadata, when the source had it.
	Units benchfmt.UnitMetadataMap
	// Source describes where the samples came from, for messages.
	Source string
	// Rounds holds, beside Values, the round label of each measurement: the
	// value of the benchfmt "round" configuration line in force when it was
	// read ("" where none was). Compare pairs base and head by it.
	Rounds map[MetricKey][]string
}

// Add appends one measurement of (name, unit).
func (s *Samples) Add(name, unit string, v float64) {
	if s.Values == nil {
		s.Values = map[MetricKey][]float64{}
	}
	k := MetricKey{name, unit}
	if _, ok := s.Values[k]; !ok {
		s.Order = append(s.Order, k)
	}
	s.Values[k] = append(s.Values[k], v)
	if s.Rounds == nil {
		s.Rounds = map[MetricKey][]string{}
	}
	s.Rounds[k] = append(s.Rounds[k], "")
}

// AddRound appends one measurement of (name, unit) taken in the round labelled
// round (see Rounds).
func (s *Samples) AddRound(name, unit, round string, v float64) {
	s.Add(name, unit, v)
	k := MetricKey{name, unit}
	s.Rounds[k][len(s.Rounds[k])-1] = round
}

// Units compared for result files: throughput and response p50 and p99, in tidy
// units (seconds), so they line up with benchfmt input and its metadata.
const (
	unitOpsPerSec = "ops/s"
	unitP50       = "p50-sec"
	unitP99       = "p99-sec"
)

// SamplesFromResults turns results into samples: one metric per cell (named by
// BenchName) and unit, one value per repetition. Runs with no completed op
// contribute only their throughput (zero), having no latency.
func SamplesFromResults(results []*result.Result) *Samples {
	s := &Samples{}
	for _, r := range results {
		name := BenchName(r)
		s.Add(name, unitOpsPerSec, r.Rates.Achieved)
		if r.Counts.Completed > 0 {
			s.Add(name, unitP50, float64(r.Latency.Response.P50)/1e9)
			s.Add(name, unitP99, float64(r.Latency.Response.P99)/1e9)
		}
	}
	return s
}

// ReadBenchSamples parses Go benchmark output (`go test -bench`, or bench.txt)
// with benchfmt.Reader: every value of every benchmark line is a sample of (name,
// tidy unit), where name is "<pkg> <full benchmark name>" when the output names
// its package and the benchmark name alone otherwise. The "round" configuration
// value in force labels each measurement (Samples.Rounds). A syntax error is
// returned with its position; input without any benchmark line is an error.
func ReadBenchSamples(r io.Reader, fileName string) (*Samples, error) {
	s := &Samples{Source: fileName}
	br := benchfmt.NewReader(r, fileName)
	for br.Scan() {
		switch rec := br.Result().(type) {
		case *benchfmt.SyntaxError:
			return nil, rec
		case *benchfmt.Result:
			name := string(rec.Name.Full())
			if pkg := rec.GetConfig("pkg"); pkg != "" {
				name = pkg + " " + name // a space cannot occur in either part
			}
			round := rec.GetConfig(RoundKey)
			for _, v := range rec.Values {
				s.AddRound(name, v.Unit, round, v.Value)
			}
		}
	}
	if err := br.Err(); err != nil {
		return nil, err
	}
	if len(s.Order) == 0 {
		return nil, fmt.Errorf("%s holds no benchmark results", fileName)
	}
	s.Units = br.Units()
	return s, nil
}

// LoadSamples reads one side of a comparison from path: a directory of result
// files, a single result file (JSON, detected by its first non-blank byte being
// '{'), or a Go benchmark output file.
func LoadSamples(path string) (*Samples, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))
	}
	if !info.IsDir() {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))
		}
		if !looksLikeJSON(data) {
			return ReadBenchSamples(bytes.NewReader(data), path)
		}
	}
	results, err := LoadResults(path)
	if err != nil {
		return nil, err
	}
	s := SamplesFromResults(results)
	s.Source = path
	return s, nil
}

// looksLikeJSON reports whether data starts, after blanks, with '{'.
func looksLikeJSON(data []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Split(bufio.ScanRunes)
	for sc.Scan() {
		switch sc.Text() {
		case " ", "\t", "\n", "\r", "\ufeff":
			continue
		case "{":
			return true
		default:
			return false
		}
	}
	return false
}
