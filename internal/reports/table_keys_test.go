package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

func TestTheTableAndHeadingsSayHowManyKeysAMapRanOn(t *testing.T) {
	t.Parallel()
	m := makeResult(t, fixture{impl: "map-xsync", conc: 8, ops: 1000, baseNs: 100})
	m.Params.Keys = 1000
	a := makeResult(t, fixture{impl: "atomic", conc: 8, ops: 1000, baseNs: 50})
	dir := t.TempDir()
	if err := WriteReport(dir, []*result.Result{m, a}, ReportOptions{NoPlots: true}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	md := string(raw)
	var header, mapRow, atomicRow string
	for l := range strings.SplitSeq(md, "\n") {
		switch {
		case strings.HasPrefix(l, "| impl |") && header == "":
			header = l
		case strings.HasPrefix(l, "| `map-xsync` |"):
			mapRow = l
		case strings.HasPrefix(l, "| `atomic` |"):
			atomicRow = l
		}
	}
	if !strings.Contains(header, "| keys |") {
		t.Errorf("the table header has no keys column: %s", header)
	}
	if !strings.Contains(mapRow, "keys=1000") || !strings.Contains(mapRow, "| 1000 |") {
		t.Errorf("the map's row does not say it ran on 1000 keys: %s", mapRow)
	}
	if !strings.Contains(atomicRow, "| - |") || strings.Contains(atomicRow, "keys=") {
		t.Errorf("the unkeyed row claims keys: %s", atomicRow)
	}
	if !strings.Contains(md, "conc=8 keys=1000") {
		t.Errorf("no configuration names the key count:\n%s", md)
	}
}

func TestConfigLabelNamesTheKeysOnlyWhenThereAreSome(t *testing.T) {
	t.Parallel()
	if got := configLabel("", result.Params{Model: "closed", Concurrency: 8, Keys: 1000}); got != "closed conc=8 keys=1000" {
		t.Errorf("keyed label %q, want %q", got, "closed conc=8 keys=1000")
	}
	if got := configLabel("", result.Params{Model: "closed", Concurrency: 8}); got != "closed conc=8" {
		t.Errorf("unkeyed label %q, want %q", got, "closed conc=8")
	}
}
