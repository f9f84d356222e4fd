package trend

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/perf/benchfmt"

	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/result"
)

// Commit is one point of a history: the figures measured at one commit.
type Commit struct {
	// ID names the commit: its hash where the history records one, else the
	// name of its entry (directory or file).
	ID string
	// Time is the commit's time where the history records it; zero otherwise.
	Time time.Time
	// Benches are the figures measured at this commit.
	Benches []Bench
}

// Bench is one figure of one commit.
type Bench struct {
	// Name identifies the series across commits, e.g.
	// "Loadgen/impl=mutex/conc=8/rps=0 response p99" or
	// "BenchmarkImpls/impl=mutex-2 sec/op".
	Name string
	// Unit is the figure's unit ("ns", "ops/s", "sec/op", ...).
	Unit string
	// Value is the figure, the median of the commit's repetitions.
	Value float64
	// BiggerIsBetter says which way is an improvement: false for times and
	// latencies, true for rates.
	BiggerIsBetter bool
}

// HistoryError is a history that cannot be read: a missing or malformed
// entry. Path names the entry; the CLI reports it as bad input.
type HistoryError struct {
	Path string
	Err  error
}

func (e *HistoryError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *HistoryError) Unwrap() error { return e.Err }

// Orders of a directory history's entries (ReadHistory's order argument).
const (
	// OrderNames sorts entries by name: name them so they sort in commit
	// order (0001-abc1234, ...). The default.
	OrderNames = "names"
	// OrderTime sorts entries by when they were measured: the earliest
	// result start in a result directory, the file's modification time for a
	// bench.txt file.
	OrderTime = "time"
	// OrderGit sorts entries by the commit time of the commit each entry's
	// name starts with, in the git repository of the current directory.
	OrderGit = "git"
)

// ReadHistory reads a history in one of the forms people keep:
//
//   - github-action-benchmark's stored data file (data.js, or the same
//     object as plain JSON): every benchmark suite in it, entries in their
//     stored (commit) order;
//   - a directory with one entry per commit: a directory of loadgen result
//     files (*.json, searched recursively; both directions' figures, as
//     `loadgen export -format github-action-benchmark` names them), or a
//     go test -bench output file (*.txt, benchfmt).
//
// order says how a directory's entries are ordered (OrderNames, OrderTime,
// OrderGit, or the path of a file listing entry names oldest first, one per
// line); it is ignored for a data file.
func ReadHistory(path, order string) ([]Commit, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, &HistoryError{Path: path, Err: errors.Unwrap(err)}
	}
	if !info.IsDir() {
		return readActionData(path)
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, &HistoryError{Path: path, Err: err}
	}
	var commits []Commit
	var times []time.Time
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := filepath.Join(path, e.Name())
		var c Commit
		var measured time.Time
		switch {
		case e.IsDir():
			c, measured, err = readResultDir(p)
		case strings.HasSuffix(e.Name(), ".txt"):
			c, measured, err = readBenchFile(p)
		default:
			continue
		}
		if err != nil {
			return nil, err
		}
		commits = append(commits, c)
		times = append(times, measured)
	}
	if len(commits) == 0 {
		return nil, &HistoryError{Path: path, Err: errors.New("no entries: want one result directory or bench .txt file per commit")}
	}
	if err := sortCommits(commits, times, order, path); err != nil {
		return nil, err
	}
	return commits, nil
}

// sortCommits orders a directory's commits as order says.
func sortCommits(commits []Commit, measured []time.Time, order, dir string) error {
	idx := make([]int, len(commits))
	for i := range idx {
		idx[i] = i
	}
	var key func(i int) string
	switch order {
	case "", OrderNames:
		key = func(i int) string { return commits[i].ID }
	case OrderTime:
		key = func(i int) string { return measured[i].UTC().Format(time.RFC3339Nano) + commits[i].ID }
	case OrderGit:
		times, err := gitCommitTimes()
		if err != nil {
			return &HistoryError{Path: dir, Err: fmt.Errorf("-order git: %v", err)}
		}
		at := make([]string, len(commits))
		for i, c := range commits {
			t, ok := matchCommit(times, c.ID)
			if !ok {
				return &HistoryError{Path: filepath.Join(dir, c.ID), Err: errors.New("-order git: the entry's name does not start with a commit of this repository")}
			}
			at[i] = fmt.Sprintf("%020d", t.Unix()) + c.ID
			commits[i].Time = t
		}
		key = func(i int) string { return at[i] }
	default:
		rank, err := readOrderFile(order)
		if err != nil {
			return err
		}
		for _, c := range commits {
			if _, ok := rank[c.ID]; !ok {
				return &HistoryError{Path: order, Err: fmt.Errorf("does not list entry %q", c.ID)}
			}
		}
		key = func(i int) string { return fmt.Sprintf("%09d", rank[commits[i].ID]) }
	}
	slices.SortStableFunc(idx, func(a, b int) int { return strings.Compare(key(a), key(b)) })
	sorted := make([]Commit, len(commits))
	for i, j := range idx {
		sorted[i] = commits[j]
	}
	copy(commits, sorted)
	return nil
}

// readOrderFile reads an order file: entry names oldest first, one a line;
// blank lines and # comments are skipped.
func readOrderFile(path string) (map[string]int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &HistoryError{Path: path, Err: fmt.Errorf("-order: want %s, %s, %s or a file listing entries oldest first: %v", OrderNames, OrderTime, OrderGit, errors.Unwrap(err))}
	}
	rank := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		name := strings.TrimSpace(strings.TrimSuffix(sc.Text(), "\r"))
		if name == "" || strings.HasPrefix(name, "#") {
			continue
		}
		if _, dup := rank[name]; dup {
			return nil, &HistoryError{Path: fmt.Sprintf("%s:%d", path, line), Err: fmt.Errorf("entry %q listed twice", name)}
		}
		rank[name] = len(rank)
	}
	return rank, nil
}

// gitCommitTimes returns the commit time of every commit reachable from any
// ref of the repository in the current directory.
func gitCommitTimes() (map[string]time.Time, error) {
	out, err := exec.Command("git", "log", "--all", "--format=%H %ct").Output()
	if err != nil {
		return nil, fmt.Errorf("git log failed: %v", err)
	}
	times := map[string]time.Time{}
	for line := range strings.Lines(string(out)) {
		var id string
		var sec int64
		if _, err := fmt.Sscanf(line, "%s %d", &id, &sec); err == nil {
			times[id] = time.Unix(sec, 0)
		}
	}
	return times, nil
}

// matchCommit finds the commit whose hash starts with the entry name's first
// word (up to a '-' or '_'), at least 7 hex digits.
func matchCommit(times map[string]time.Time, name string) (time.Time, bool) {
	prefix := strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' || r == '.' })
	for _, p := range prefix {
		if len(p) < 7 {
			continue
		}
		for id, t := range times {
			if strings.HasPrefix(id, strings.ToLower(p)) {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// readResultDir reads one commit's loadgen result files.
func readResultDir(dir string) (Commit, time.Time, error) {
	c := Commit{ID: filepath.Base(dir)}
	var results []*result.Result
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".json") {
			return nil
		}
		r, err := result.ReadFile(p)
		if err != nil {
			return err
		}
		results = append(results, r)
		return nil
	})
	if err != nil {
		if _, ok := errors.AsType[*result.FormatError](err); ok {
			return c, time.Time{}, err
		}
		return c, time.Time{}, &HistoryError{Path: dir, Err: err}
	}
	if len(results) == 0 {
		return c, time.Time{}, &HistoryError{Path: dir, Err: errors.New("no result files (*.json)")}
	}
	var measured time.Time
	for _, r := range results {
		if measured.IsZero() || r.Start.Before(measured) {
			measured = r.Start
		}
	}
	for _, direction := range []string{reports.SmallerIsBetter, reports.BiggerIsBetter} {
		entries, err := reports.ActionBenchmarkEntries(results, direction)
		if err != nil {
			return c, measured, &HistoryError{Path: dir, Err: err}
		}
		for _, e := range entries {
			c.Benches = append(c.Benches, Bench{Name: e.Name, Unit: e.Unit, Value: e.Value, BiggerIsBetter: direction == reports.BiggerIsBetter})
		}
	}
	return c, measured, nil
}

// readBenchFile reads one commit's go test -bench output: every benchmark and
// unit, the best of its repeated lines (the least time, the greatest rate).
// Another process sharing the machine only ever makes a run slower, so the
// best run is the one least disturbed, as scripts/regress.sh pairs the least
// of each side's runs; it also halved the noise of a commit's figure in the
// recorded A/A runs (docs/trend.md).
func readBenchFile(path string) (Commit, time.Time, error) {
	c := Commit{ID: strings.TrimSuffix(filepath.Base(path), ".txt")}
	f, err := os.Open(path)
	if err != nil {
		return c, time.Time{}, &HistoryError{Path: path, Err: errors.Unwrap(err)}
	}
	defer f.Close()
	info, _ := f.Stat()
	values := map[[2]string][]float64{}
	var keys [][2]string
	rd := benchfmt.NewReader(f, path)
	for rd.Scan() {
		switch rec := rd.Result().(type) {
		case *benchfmt.SyntaxError:
			return c, time.Time{}, &HistoryError{Path: rec.FileName + fmt.Sprintf(":%d", rec.Line), Err: errors.New(rec.Msg)}
		case *benchfmt.Result:
			name := "Benchmark" + string(rec.Name.Full()) // as go test printed it
			for _, v := range rec.Values {
				k := [2]string{name, v.Unit}
				if _, seen := values[k]; !seen {
					keys = append(keys, k)
				}
				values[k] = append(values[k], v.Value)
			}
		}
	}
	if err := rd.Err(); err != nil {
		return c, time.Time{}, &HistoryError{Path: path, Err: err}
	}
	if len(keys) == 0 {
		return c, time.Time{}, &HistoryError{Path: path, Err: errors.New("no benchmark results")}
	}
	for _, k := range keys {
		bigger := biggerIsBetter(k[1])
		best := slices.Min(values[k])
		if bigger {
			best = slices.Max(values[k])
		}
		c.Benches = append(c.Benches, Bench{Name: k[0], Unit: k[1], Value: best, BiggerIsBetter: bigger})
	}
	return c, info.ModTime(), nil
}

// biggerIsBetter says whether a benchfmt unit improves upward: rates (ops/s,
// MB/s) and the achieved share do; times, sizes and counts per op do not.
func biggerIsBetter(unit string) bool {
	return strings.Contains(unit, "/s") || strings.HasPrefix(unit, "achieved")
}

// actionData is github-action-benchmark's stored data file.
type actionData struct {
	Entries map[string][]actionEntry `json:"entries"`
}

type actionEntry struct {
	Commit struct {
		ID        string `json:"id"`
		Timestamp string `json:"timestamp"`
	} `json:"commit"`
	Date    int64  `json:"date"` // ms since the epoch, when the entry was stored
	Tool    string `json:"tool"`
	Benches []struct {
		Name  string  `json:"name"`
		Value float64 `json:"value"`
		Unit  string  `json:"unit"`
	} `json:"benches"`
}

// readActionData reads github-action-benchmark's data.js (window.BENCHMARK_DATA
// = {...}) or the same object as JSON. Suites are merged by commit: a commit
// stored in the latency and throughput suites is one point with both.
func readActionData(path string) ([]Commit, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &HistoryError{Path: path, Err: errors.Unwrap(err)}
	}
	data = bytes.TrimPrefix(bytes.TrimSpace(data), []byte("\xef\xbb\xbf"))
	if i := bytes.IndexByte(data, '{'); i > 0 && bytes.Contains(data[:i], []byte("=")) {
		data = bytes.TrimSuffix(bytes.TrimSpace(data[i:]), []byte(";"))
	}
	var ad actionData
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&ad); err != nil {
		return nil, &HistoryError{Path: path, Err: fmt.Errorf("not a github-action-benchmark data file: %v", err)}
	}
	if len(ad.Entries) == 0 {
		return nil, &HistoryError{Path: path, Err: errors.New("no entries: not a github-action-benchmark data file")}
	}
	byID := map[string]int{}
	var commits []Commit
	suites := make([]string, 0, len(ad.Entries))
	for s := range ad.Entries {
		suites = append(suites, s)
	}
	slices.Sort(suites)
	for _, suite := range suites {
		stored := map[string]bool{}
		for i, e := range ad.Entries[suite] {
			if e.Commit.ID == "" {
				return nil, &HistoryError{Path: path, Err: fmt.Errorf("entries[%q][%d] has no commit id", suite, i)}
			}
			if stored[e.Commit.ID] {
				continue // the action stores a commit again when a workflow is re-run: keep its first run
			}
			stored[e.Commit.ID] = true
			k, ok := byID[e.Commit.ID]
			if !ok {
				t, _ := time.Parse(time.RFC3339, e.Commit.Timestamp)
				if t.IsZero() && e.Date > 0 {
					t = time.UnixMilli(e.Date)
				}
				k = len(commits)
				byID[e.Commit.ID] = k
				commits = append(commits, Commit{ID: e.Commit.ID, Time: t})
			}
			bigger := e.Tool == "customBiggerIsBetter"
			for _, b := range e.Benches {
				if math.IsNaN(b.Value) || math.IsInf(b.Value, 0) {
					continue
				}
				name := b.Name
				if len(suites) > 1 {
					name = suite + ": " + name
				}
				commits[k].Benches = append(commits[k].Benches, Bench{Name: name, Unit: b.Unit, Value: b.Value, BiggerIsBetter: bigger})
			}
		}
	}
	// Entries are stored in push order; a commit's time orders suites merged
	// from several files.
	slices.SortStableFunc(commits, func(a, b Commit) int { return a.Time.Compare(b.Time) })
	return commits, nil
}
