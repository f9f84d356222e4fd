package reports

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/syncbench/syncbench/result"
	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchunit"
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
//
// A value that cannot be a measurement is a *benchfmt.SyntaxError naming its
// line: NaN or ±Inf in any unit, a time (sec/op, p99-sec, ...) that is not
// above zero, a negative B/op or allocs/op. Such a value would not only make
// nonsense of the statistics (a NaN sends the Mann-Whitney test into an
// unbounded allocation). A line longer than the reader takes (64 KiB) is an
// error naming that line. CRLF line endings are read like LF.
func ReadBenchSamples(r io.Reader, fileName string) (*Samples, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fileName, err)
	}
	if err := checkLineLengths(data, fileName); err != nil {
		return nil, err
	}
	s := &Samples{Source: fileName}
	br := benchfmt.NewReader(bytes.NewReader(data), fileName)
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
				if msg := badBenchValue(v); msg != "" {
					file, line := rec.Pos()
					return nil, &benchfmt.SyntaxError{FileName: file, Line: line, Msg: "Benchmark" + string(rec.Name.Full()) + ": " + msg}
				}
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

// maxBenchLine is the longest line benchfmt.Reader takes: its bufio.Scanner's
// default token size, newline included, less one byte for safety.
const maxBenchLine = bufio.MaxScanTokenSize - 2

// checkLineLengths refuses a line benchfmt.Reader cannot read, naming it: the
// reader's own error names the last line it did read.
func checkLineLengths(data []byte, fileName string) error {
	line := 0
	for len(data) > 0 {
		line++
		n := bytes.IndexByte(data, '\n')
		if n < 0 {
			n = len(data)
		}
		if n > maxBenchLine {
			return &benchfmt.SyntaxError{FileName: fileName, Line: line,
				Msg: fmt.Sprintf("a line of %d bytes is longer than a benchmark line may be (allowed: up to %d bytes)", n, maxBenchLine)}
		}
		data = data[min(n+1, len(data)):]
	}
	return nil
}

// badBenchValue says why v cannot be a measurement, or returns "". Its unit is
// judged in benchunit's tidy form (ns/op is sec/op), its value shown as the
// file wrote it.
func badBenchValue(v benchfmt.Value) string {
	shown, shownUnit := v.Value, v.Unit
	if v.OrigUnit != "" {
		shown, shownUnit = v.OrigValue, v.OrigUnit
	}
	value, unit := benchunit.Tidy(v.Value, v.Unit)
	switch {
	case math.IsNaN(value) || math.IsInf(value, 0):
		return fmt.Sprintf("%v %s is not a measurement (allowed: a finite number)", shown, shownUnit)
	case (unit == "sec/op" || strings.HasSuffix(unit, "-sec")) && value <= 0:
		return fmt.Sprintf("%v %s is not a time a benchmark can take (allowed: > 0)", shown, shownUnit)
	case (unit == "B/op" || unit == "allocs/op") && value < 0:
		return fmt.Sprintf("%v %s is negative (allowed: 0 or more)", shown, shownUnit)
	}
	return ""
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
