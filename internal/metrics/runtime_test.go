package metrics

import (
	"encoding/json"
	"math"
	"runtime/debug"
	"testing"
)

var sink [][]byte

func TestTelemetry(t *testing.T) {
	if !inOwnProcess(t) { // it counts the process's allocations
		return
	}
	t.Run("a run that allocates shows allocations per op", func(t *testing.T) {
		tel := StartTelemetry()
		const ops = 20000
		for range ops {
			sink = append(sink, make([]byte, 64))
		}
		tel.End()
		for range ops { // after End: not the run's
			sink = append(sink, make([]byte, 64))
		}
		s := tel.Stop(ops)
		sink = nil
		// Read exactly (ReadMemStats); the appends' own growth of sink is the
		// only other allocation (sink's backing arrays: under 2 objects/op,
		// and more than 64 B/op).
		if s.Allocs < ops || s.AllocsPerOp > 1.01 {
			t.Errorf("allocs %d, %v per op; want 1 per op and a few", s.Allocs, s.AllocsPerOp)
		}
		if s.AllocBytes < ops*64 || s.AllocBytesPerOp > 2*64+64 {
			t.Errorf("%v bytes per op, want 64 and sink's growth", s.AllocBytesPerOp)
		}
	})
	t.Run("the harness's histograms are not the run's allocations", func(t *testing.T) {
		tel := StartTelemetry()
		h := NewHistogram()
		s := tel.Stop(1)
		if s.HarnessAllocs != 2 || s.HarnessAllocBytes != latencyHistogramBytes || s.Allocs < 2 {
			t.Fatalf("harness %d objects, %d B of process %d, %d B; want the histogram's 2 objects, %d B",
				s.HarnessAllocs, s.HarnessAllocBytes, s.Allocs, s.AllocBytes, latencyHistogramBytes)
		}
		if s.AllocBytesPerOp >= float64(latencyHistogramBytes)/2 || s.ProcessAllocBytesPerOp < float64(latencyHistogramBytes) {
			t.Errorf("target %v B/op, process %v B/op: the histogram is counted as the target's", s.AllocBytesPerOp, s.ProcessAllocBytesPerOp)
		}
		_ = h
	})
	t.Run("a run that spins shows CPU time per op", func(t *testing.T) {
		tel := StartTelemetry()
		x := 1.0
		for i := range 3_000_000 {
			x = math.Sqrt(x + float64(i))
		}
		s := tel.Stop(100)
		if x == 0 || s.CPUUserNs+s.CPUSysNs <= 0 || s.CPUNsPerOp <= 0 {
			t.Errorf("cpu user %d sys %d, %v per op; want positive", s.CPUUserNs, s.CPUSysNs, s.CPUNsPerOp)
		}
		if s.WallNs <= 0 {
			t.Errorf("wall %d", s.WallNs)
		}
	})
	t.Run("zero ops gives zero per-op figures, not a division by zero", func(t *testing.T) {
		tel := StartTelemetry()
		sink = append(sink, make([]byte, 64))
		s := tel.Stop(0)
		sink = nil
		for name, v := range map[string]float64{"cpu": s.CPUNsPerOp, "allocs": s.AllocsPerOp, "bytes": s.AllocBytesPerOp} {
			if v != 0 || math.IsNaN(v) {
				t.Errorf("%s per op = %v, want 0", name, v)
			}
		}
	})
	t.Run("the heap in use and its goal are read at the window's end", func(t *testing.T) {
		// This process runs with the collector off (inOwnProcess): no goal.
		tel := StartTelemetry()
		keep := make([]byte, 8<<20) // live at the end: in use
		tel.End()
		s := tel.Stop(1)
		if s.HeapInUseBytes < uint64(len(keep)) || s.HeapGoalBytes != 0 {
			t.Errorf("GOGC off: heap in use %d, goal %d; want at least the %d live bytes, and no goal", s.HeapInUseBytes, s.HeapGoalBytes, len(keep))
		}
		defer debug.SetGCPercent(debug.SetGCPercent(100))
		if s := StartTelemetry().Stop(1); s.HeapGoalBytes < 4<<20 {
			t.Errorf("GOGC 100: goal %d, want one (4 MiB at least, the runtime's floor)", s.HeapGoalBytes)
		}
		sink = append(sink, keep)
		sink = nil
	})
	t.Run("the map matches the JSON field names", func(t *testing.T) {
		s := StartTelemetry().Stop(1)
		raw, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var fromJSON map[string]any
		if err := json.Unmarshal(raw, &fromJSON); err != nil {
			t.Fatal(err)
		}
		m := s.Map()
		if len(m) != len(fromJSON) {
			t.Errorf("Map has %d keys, JSON %d", len(m), len(fromJSON))
		}
		for k := range fromJSON {
			if _, ok := m[k]; !ok {
				t.Errorf("Map lacks %q", k)
			}
		}
	})
}

func TestHistogramHelpers(t *testing.T) {
	buckets := []float64{math.Inf(-1), 0, 1, 2, 4, math.Inf(1)}
	cases := []struct {
		name   string
		counts []uint64
		q      float64
		want   float64
	}{
		{"an empty histogram has quantile 0", []uint64{0, 0, 0, 0, 0}, 0.99, 0},
		{"the quantile is its bucket's upper bound", []uint64{0, 90, 10, 0, 0}, 0.5, 1},
		{"p99 lands in the upper bucket", []uint64{0, 90, 10, 0, 0}, 0.99, 2},
		{"an open top bucket reports its lower bound", []uint64{0, 0, 0, 0, 5}, 0.99, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := histogramQuantile(c.counts, buckets, c.q); got != c.want {
				t.Errorf("quantile %v = %v, want %v", c.q, got, c.want)
			}
		})
	}
	t.Run("the sum uses bucket midpoints", func(t *testing.T) {
		if got := histogramSum([]uint64{0, 2, 2, 1, 0}, buckets); got != 2*0.5+2*1.5+3 {
			t.Errorf("sum %v, want 7", got)
		}
	})
}

func TestEffectiveCoresAreCPUOverWallAndTheRunQueueWaitIsADifference(t *testing.T) {
	s := RuntimeStats{WallNs: 2e9, CPUUserNs: 2.5e9, CPUSysNs: 0.5e9}
	s.setCores(100, 600)
	if s.EffectiveCores != 1.5 || s.RunQueueWaitNs == nil || *s.RunQueueWaitNs != 500 {
		t.Errorf("effective cores %v, run-queue wait %v; want 1.5 and 500", s.EffectiveCores, s.RunQueueWaitNs)
	}
	s.setCores(-1, 600)
	if s.RunQueueWaitNs != nil {
		t.Errorf("a run-queue wait from an unread start: %v", *s.RunQueueWaitNs)
	}
	s = RuntimeStats{CPUUserNs: 5}
	s.setCores(0, 0)
	if s.EffectiveCores != 0 {
		t.Errorf("no wall time gives %v effective cores, want 0", s.EffectiveCores)
	}
	if m := (RuntimeStats{WallNs: 1e9, CPUUserNs: 1e9, EffectiveCores: 1}).Map(); m["effective_cores"] != 1.0 {
		t.Errorf("the extras map lacks effective_cores: %v", m)
	}
}
