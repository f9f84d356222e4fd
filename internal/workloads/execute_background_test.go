package workloads

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/result"
)

// ownGoroutines is a target that says it runs a goroutine of its own and
// notes the window calls it gets.
type ownGoroutines struct {
	mu    sync.Mutex
	calls []bool
}

func (o *ownGoroutines) Do(context.Context, impls.Op) impls.Outcome { return impls.OK }

func (o *ownGoroutines) Verify() error             { return nil }
func (o *ownGoroutines) Close() error              { return nil }
func (o *ownGoroutines) BackgroundGoroutines() int { return 1 }
func (o *ownGoroutines) WindowOpened(time.Time)    { o.note(true) }
func (o *ownGoroutines) WindowClosed(time.Time)    { o.note(false) }

func (o *ownGoroutines) note(open bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls = append(o.calls, open)
}

// executeOwn runs target as a queue through Execute and returns the result.
func executeOwn(t *testing.T, target *ownGoroutines, spec Spec) *result.Result {
	t.Helper()
	impl := impls.Impl{Name: "fake-queue", Family: impls.FamilyQueues, New: func(impls.Config) (impls.Target, error) { return target, nil }}
	res, err := Execute(context.Background(), Job{Impl: impl, Spec: spec, Floor: result.Floor{NsPerOp: 5, FullNsPerOp: 100, CPUNsPerOp: 5, FullCPUNsPerOp: 100}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestTheHarnessClaimsNoCPUBesideATargetsOwnGoroutines(t *testing.T) {
	spec := testSpec()
	spec.Rate, spec.Duration = 2000, 300*time.Millisecond
	res := executeOwn(t, &ownGoroutines{}, spec)
	rt := res.Extras[result.RuntimeExtrasKey]
	if rt["cpu_method"] != metrics.CPUMethodThreadControlOwnGoroutines {
		t.Fatalf("cpu method %q, want it to say the target's goroutines are only in the process's CPU", rt["cpu_method"])
	}
	if res.Harness == nil || res.Harness.CPUNs != 0 || res.Harness.CPUCores != 0 {
		t.Fatalf("harness %+v: it claims CPU the target's own goroutines may have burnt", res.Harness)
	}
	if res.Harness.Pacer == "" {
		t.Fatalf("harness %+v: the pacer's own figures are lost", res.Harness)
	}
}

func TestATargetIsToldTheWindowAndAQueueEnqueues(t *testing.T) {
	spec := testSpec()
	spec.Warmup = 50 * time.Millisecond
	target := &ownGoroutines{}
	res := executeOwn(t, target, spec)
	if len(target.calls) != 2 || !target.calls[0] || target.calls[1] {
		t.Fatalf("window calls %v (true: opened), want opened once, then closed once", target.calls)
	}
	if len(res.Split) == 0 {
		t.Fatal("no splits")
	}
	for _, s := range res.Split {
		if s.Kind != "" && s.Kind != "enqueue" {
			t.Fatalf("a queue's ops split as %q, want enqueue only", s.Kind)
		}
	}
}
