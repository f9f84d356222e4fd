package cli

import (
	"bytes"
	"path/filepath"

	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/result"
)

// writeHgrmFiles writes the run's response-time percentile distribution beside
// its result, <label>.hgrm (HdrHistogram's .hgrm text, values in ms, what
// HdrHistogram's plotter, wrk2 --latency and vegeta's hdrplot use), and one
// <label>.<group>.hgrm per split histogram (read, write, ok, denied, ...), so
// a writer's or an admitted op's distribution can be plotted on its own.
func writeHgrmFiles(dir, label string, r *result.Result) error {
	for _, name := range reports.HistogramNames(r) {
		if name == "service" {
			continue // response is what callers see; service stays in the JSON
		}
		var buf bytes.Buffer
		if err := reports.WriteHgrm(&buf, []*result.Result{r}, name); err != nil {
			return err
		}
		file := label + ".hgrm"
		if name != "response" {
			file = label + "." + fileSafe(name) + ".hgrm"
		}
		if err := result.WriteFileAtomic(filepath.Join(dir, file), buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}
