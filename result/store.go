package result

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// FormatError reports a result file that cannot be used: unreadable, not JSON, of
// another schema, or inconsistent.
type FormatError struct {
	Path string // file name, or "" for a stream
	Msg  string
}

func (e *FormatError) Error() string {
	if e.Path == "" {
		return "bad result: " + e.Msg
	}
	return "bad result file " + e.Path + ": " + e.Msg
}

// WriteFile writes r as indented JSON to path atomically: it writes a temporary file
// in the same directory and renames it over path, so a reader never sees half a
// result and an interrupted write leaves nothing behind.
func WriteFile(path string, r *Result) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, append(data, '\n'))
}

// WriteFileAtomic writes data to path through a temporary file and a rename,
// so path holds either its old content or all of data. Errors are
// *os.PathError values naming path itself (not the temporary file), e.g.
// "write out/mutex.json: no space left on device"; nothing is left behind.
func WriteFileAtomic(path string, data []byte) error {
	fail := func(op string, err error) error {
		if pe, ok := errors.AsType[*os.PathError](err); ok {
			err = pe.Err
		}
		return &os.PathError{Op: op, Path: path, Err: err}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fail("create", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	// CreateTemp makes the file private (0600); a result is as readable as
	// any file the user writes.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fail("chmod", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fail("write", err)
	}
	if err := tmp.Close(); err != nil {
		return fail("write", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fail("rename", err)
	}
	return nil
}

// ReadFile loads and validates a result written by WriteFile. Any problem is a
// *FormatError naming the file.
func ReadFile(path string) (*Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &FormatError{Path: path, Msg: err.Error()}
	}
	r, err := Decode(bytes.NewReader(data))
	if err != nil {
		if fe, ok := errors.AsType[*FormatError](err); ok {
			fe.Path = path
		}
		return nil, err
	}
	return r, nil
}

// Decode reads and validates one Result from rd: rd must hold exactly one JSON
// document (nothing but blanks after it), with no field the schema does not
// have and no key twice in one object (encoding/json would keep the last one
// silently, so a hand-edited or concatenated file could say two things).
func Decode(rd io.Reader) (*Result, error) {
	data, err := io.ReadAll(rd)
	if err != nil {
		return nil, &FormatError{Msg: err.Error()}
	}
	if err := checkDocument(data); err != nil {
		return nil, &FormatError{Msg: err.Error()}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r Result
	if err := dec.Decode(&r); err != nil {
		return nil, &FormatError{Msg: "not a result document: " + err.Error()}
	}
	if err := r.Validate(); err != nil {
		return nil, &FormatError{Msg: err.Error()}
	}
	return &r, nil
}

// Validate checks that r is a complete, self-consistent result of this schema:
// its family is known (KnownFamily), no count, rate, duration or size is
// negative, the outcome counts add up, and every histogram holds what its
// summary says.
func (r *Result) Validate() error {
	switch {
	case r.Schema != Schema:
		return fmt.Errorf("schema is %q, want %q", r.Schema, Schema)
	case r.Impl == "":
		return errors.New("impl is empty")
	case !KnownFamily(r.Family):
		return fmt.Errorf("family %q is not a known family (known: %s; a family of your own is known once its implementation is registered)", r.Family, strings.Join(KnownFamilies(), ", "))
	}
	if err := r.checkNonNegative(); err != nil {
		return err
	}
	if c := r.Counts; c.Completed != c.OK+c.Denied+c.Timeout+c.Error {
		return fmt.Errorf("counts.completed (%d) is not the sum of the outcome counts", c.Completed)
	}
	if err := checkHistograms("histograms", r.Histogram, r.Latency); err != nil {
		return err
	}
	for i, sp := range r.Split {
		if (sp.Kind == "") == (sp.Outcome == "") {
			return fmt.Errorf("split[%d] must name exactly one of kind and outcome (kind %q, outcome %q)", i, sp.Kind, sp.Outcome)
		}
		if err := checkHistograms(fmt.Sprintf("split[%d].histograms", i), sp.Histogram, sp.Latency); err != nil {
			return err
		}
	}
	return nil
}

// checkHistograms decodes each histogram and checks it holds as many values as
// its summary says. Latencies are recorded for the ops intended inside the
// window, completions are counted by finish instant, and timing may be sampled,
// so the histograms are checked against their summaries, not against Counts.
func checkHistograms(where string, hs Histograms, ls Latencies) error {
	type pair struct {
		name string
		enc  string
		sum  *LatencySummary
	}
	pairs := []pair{{"response", hs.Response, &ls.Response}, {"service", hs.Service, &ls.Service}}
	if hs.Lag != "" || ls.Lag != nil {
		var lag LatencySummary
		if ls.Lag != nil {
			lag = *ls.Lag
		}
		pairs = append(pairs, pair{"lag", hs.Lag, &lag})
	}
	for _, p := range pairs {
		h, err := DecodeHistogram(p.enc)
		if err != nil {
			return fmt.Errorf("%s.%s: %v", where, p.name, err)
		}
		if h.TotalCount() != p.sum.Count {
			return fmt.Errorf("%s.%s holds %d values but its summary counts %d", where, p.name, h.TotalCount(), p.sum.Count)
		}
	}
	return nil
}
