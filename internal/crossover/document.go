package crossover

import (
	"bytes"
	"encoding/json"
	"math"
	"time"
)

// Schema identifies the crossover document, crossover.json in loadgen
// crossover's -out: a file kind of its own beside the probes' run results
// (schema syncbench/result/v1, which it does not change). A result reader
// walking a directory skips it.
const Schema = "syncbench/crossover/v1"

// Document is crossover.json: the search's question, its answer and every
// probe. Within v1 fields are only ever added.
type Document struct {
	Schema  string `json:"schema"`
	Command string `json:"command"`
	Start   string `json:"start"` // RFC 3339
	// A and B are the two implementations, in -impl order; ratios are A's
	// advantage over B on Metric (above 1: A better).
	A      string `json:"a"`
	B      string `json:"b"`
	Metric string `json:"metric"`
	// HigherBetter says which way Metric is better (throughput: higher).
	HigherBetter bool       `json:"higher_better"`
	Param        string     `json:"param"`
	Lo           float64    `json:"lo"`
	Hi           float64    `json:"hi"`
	Forks        int        `json:"forks"`
	Steps        int        `json:"steps"`
	Grid         int        `json:"grid"`
	Outcome      DocOutcome `json:"outcome"`
	Probes       []DocProbe `json:"probes"`
}

// DocOutcome is Outcome as stored. Sides are "a", "b" or "" (neither).
type DocOutcome struct {
	Kind string `json:"kind"` // "crossover", "whole-range" or "not-separated"
	// Summary is the answer as loadgen printed it.
	Summary string `json:"summary"`
	// Crossover: the bracket, the interpolated estimate, who leads below and
	// above and whether the forks separate each.
	Lo             *float64 `json:"lo,omitempty"`
	Hi             *float64 `json:"hi,omitempty"`
	Estimate       *float64 `json:"estimate,omitempty"`
	Below          string   `json:"below,omitempty"`
	Above          string   `json:"above,omitempty"`
	SeparatedBelow bool     `json:"separated_below,omitempty"`
	SeparatedAbove bool     `json:"separated_above,omitempty"`
	Resolved       string   `json:"resolved,omitempty"`
	// Whole range: the leader, whether every probe separates it, and the
	// probe of its smallest margin (its x).
	Leader       string   `json:"leader,omitempty"`
	AllSeparated bool     `json:"all_separated,omitempty"`
	MarginX      *float64 `json:"margin_x,omitempty"`
	// Flips counts the estimates' sign changes along the probes.
	Flips  int `json:"flips"`
	Probes int `json:"probes"`
}

// DocProbe is one probe as stored: the ratio with its interval (absent
// bounds: too few pairs for one), the test, and each side's figure (median
// across forks with its range).
type DocProbe struct {
	X          float64  `json:"x"`
	Ratio      float64  `json:"ratio"`
	Lo         *float64 `json:"ratio_lo,omitempty"`
	Hi         *float64 `json:"ratio_hi,omitempty"`
	Separated  bool     `json:"separated"`
	P          *float64 `json:"p,omitempty"`
	Pairs      int      `json:"pairs"`
	Test       string   `json:"test"`
	AMedian    float64  `json:"a_median"`
	AMin       float64  `json:"a_min"`
	AMax       float64  `json:"a_max"`
	BMedian    float64  `json:"b_median"`
	BMin       float64  `json:"b_min"`
	BMax       float64  `json:"b_max"`
	Dir        string   `json:"dir,omitempty"` // the probe's results, relative to -out
	DurationNs int64    `json:"duration_ns"`
}

// SideName spells a side for the document: "a", "b" or "".
func SideName(s Side) string {
	switch s {
	case A:
		return "a"
	case B:
		return "b"
	}
	return ""
}

// Finite returns &v, or nil when v is NaN or infinite (JSON has neither).
func Finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// StartTime formats t for Document.Start.
func StartTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// Marshal encodes d indented, with a final newline.
func (d *Document) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
