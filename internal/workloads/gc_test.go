package workloads

import (
	"context"
	"math"
	"runtime/metrics"
	"testing"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/result"
)

// gcSettings reads GOGC and the memory limit without changing them.
func gcSettings() (percent, limit uint64) {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64()
}

func TestARunAppliesItsGCSettingsAndRestoresThem(t *testing.T) {
	before, beforeLimit := gcSettings()
	var during, duringLimit uint64
	probe := impls.Impl{Name: "gc-probe", Family: "fakes", New: func(impls.Config) (impls.Target, error) {
		during, duringLimit = gcSettings()
		noop, _ := impls.Lookup(impls.NoopName)
		return noop.New(impls.Config{})
	}}
	percent := 37
	res, err := Execute(context.Background(), Job{Impl: probe, Spec: testSpec(), GC: GC{Percent: &percent, MemoryLimit: 3 << 30}, Floor: result.Floor{NsPerOp: 5}})
	if err != nil {
		t.Fatal(err)
	}
	if during != 37 || duringLimit != 3<<30 {
		t.Errorf("the target was built under GOGC %d, limit %d; want 37 and 3GiB", during, duringLimit)
	}
	if after, afterLimit := gcSettings(); after != before || afterLimit != beforeLimit {
		t.Errorf("after the run GOGC %d, limit %d; want them restored to %d, %d", after, afterLimit, before, beforeLimit)
	}
	if res.Params.GOGC != "37" || res.Params.MemoryLimit != "3GiB" {
		t.Errorf("the result records gogc %q, memory limit %q; want 37 and 3GiB", res.Params.GOGC, res.Params.MemoryLimit)
	}
}

func TestGCSettingsAreRecordedAsTheFlagsSpellThem(t *testing.T) {
	off, fifty := -1, 50
	for _, tc := range []struct {
		gc             GC
		percent, limit string
	}{
		{GC{}, "", ""},
		{GC{Percent: &off, MemoryLimit: math.MaxInt64}, "off", "off"},
		{GC{Percent: &fifty, MemoryLimit: 64 << 20}, "50", "64MiB"},
		{GC{MemoryLimit: 1000}, "", "1000B"},
		{GC{MemoryLimit: 3 << 10}, "", "3KiB"},
	} {
		if p, l := tc.gc.PercentText(), tc.gc.MemoryLimitText(); p != tc.percent || l != tc.limit {
			t.Errorf("%+v: %q, %q; want %q, %q", tc.gc, p, l, tc.percent, tc.limit)
		}
	}
	// The zero value changes nothing, and restoring it does nothing.
	before, beforeLimit := gcSettings()
	GC{}.apply()()
	if now, limit := gcSettings(); now != before || limit != beforeLimit {
		t.Errorf("the zero GC changed GOGC %d → %d, the limit %d → %d", before, now, beforeLimit, limit)
	}
}
