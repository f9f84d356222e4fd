package reports

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"strconv"

	"github.com/syncbench/syncbench/result"
)

// The cells exports give, per cell, each headline figure as the report shows
// it: the median across the cell's processes (forks) with its range and the
// number of processes, and what that range is (see Across). results.csv has
// one row per run; these have one row (or object) per cell.

// CellsCSVFile and CellsJSONLFile are the cells exports WriteReport writes.
// The JSON one is JSON Lines (one cell per line), not .json: a results
// directory's *.json files are its results, and every reader of one
// (loadgen report, compare, merge, older loadgens too) reads them all.
const (
	CellsCSVFile   = "cells.csv"
	CellsJSONLFile = "cells.jsonl"
)

// CellFigure is one headline figure of a cell in the exports. Median, Min and
// Max are NaN (JSON null, CSV empty) when no run holds the figure.
type CellFigure struct {
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	// N is the number of processes (forks) the range is over, or of runs
	// when Interval is "in-process".
	N int `json:"n"`
}

// MarshalJSON writes a missing figure's NaNs as null, which JSON can hold.
func (f CellFigure) MarshalJSON() ([]byte, error) {
	num := func(v float64) any {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return v
	}
	return json.Marshal(map[string]any{"median": num(f.Median), "min": num(f.Min), "max": num(f.Max), "n": f.N})
}

// CellSummary is one cell in the exports.
type CellSummary struct {
	Impl     string        `json:"impl"`
	Family   string        `json:"family"`
	Workload string        `json:"workload"`
	Params   result.Params `json:"params"`
	// Forks is the number of processes that ran the cell; Runs the number of
	// results.
	Forks int `json:"forks"`
	Runs  int `json:"runs"`
	// Interval says what the figures' ranges are: "between-forks" (separate
	// processes), "between-runs" (results that record no process, each
	// taken as its own), "in-process" (one process's repetitions: a lower
	// bound on the run-to-run spread) or "none" (one run: no between-run
	// uncertainty is known).
	Interval string `json:"interval"`
	// MachineModes is set when the cell's processes measured two machine
	// modes: then its pooled figures mix them (the report gives each mode's).
	MachineModes bool `json:"machine_modes,omitempty"`
	// Figures are the headline figures by HeadlineFigures' names.
	Figures map[string]CellFigure `json:"figures"`
}

// intervalName is what CellSummary.Interval says of f.
func intervalName(f Figure) string {
	switch {
	case f.Across == WithinProcess:
		return "in-process"
	case f.N < 2:
		return "none"
	case f.Across == AcrossRuns:
		return "between-runs"
	}
	return "between-forks"
}

// CellSummaries summarises results per cell, in GroupCells' order.
func CellSummaries(results []*result.Result) []CellSummary {
	var out []CellSummary
	for _, c := range GroupCells(results) {
		s := CellSummary{Impl: c.Impl, Family: c.Family, Workload: c.Workload, Params: c.Params,
			Forks: len(c.units()), Runs: len(c.Runs), Interval: intervalName(c.Figure(achieved)), Figures: map[string]CellFigure{}}
		_, s.MachineModes = cellModes(c)
		for _, h := range HeadlineFigures {
			f := c.Figure(h.Get)
			s.Figures[h.Name] = CellFigure{Median: f.Median, Min: f.Min, Max: f.Max, N: f.N}
		}
		out = append(out, s)
	}
	return out
}

// WriteCellsJSON writes CellSummaries(results) as an indented JSON array.
func WriteCellsJSON(w io.Writer, results []*result.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(CellSummaries(results))
}

// WriteCellsJSONL writes CellSummaries(results) as JSON Lines: one object
// per cell, one per line.
func WriteCellsJSONL(w io.Writer, results []*result.Result) error {
	enc := json.NewEncoder(w)
	for _, s := range CellSummaries(results) {
		if err := enc.Encode(s); err != nil {
			return err
		}
	}
	return nil
}

// WriteCellsCSV writes one row per cell: impl, family, workload, model, rate,
// concurrency, gomaxprocs, keys, forks, runs, interval, machine_modes, then
// for each headline figure <name>_median, <name>_min, <name>_max and <name>_n
// (empty when no run holds the figure). Columns are only ever added at the
// end.
func WriteCellsCSV(w io.Writer, results []*result.Result) error {
	cw := csv.NewWriter(w)
	head := []string{"impl", "family", "workload", "model", "rate", "concurrency", "gomaxprocs", "keys", "forks", "runs", "interval", "machine_modes"}
	for _, h := range HeadlineFigures {
		head = append(head, h.Name+"_median", h.Name+"_min", h.Name+"_max", h.Name+"_n")
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	num := func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ""
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	for _, s := range CellSummaries(results) {
		p := s.Params
		row := []string{s.Impl, s.Family, s.Workload, p.Model, num(p.Rate), strconv.Itoa(p.Concurrency), strconv.Itoa(p.GOMAXPROCS),
			strconv.Itoa(p.Keys), strconv.Itoa(s.Forks), strconv.Itoa(s.Runs), s.Interval, strconv.FormatBool(s.MachineModes)}
		for _, h := range HeadlineFigures {
			f := s.Figures[h.Name]
			row = append(row, num(f.Median), num(f.Min), num(f.Max), strconv.Itoa(f.N))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
