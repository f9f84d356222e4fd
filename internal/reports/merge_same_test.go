package reports

import (
	"errors"
	"testing"

	"github.com/syncbench/syncbench/result"
)

func TestMergeRefusesTheSameRunTwiceEvenWithForce(t *testing.T) {
	t.Parallel()
	_, a, b := splitRun(t)
	copyOfA := *a // a.json and a copy of it, or a.json given twice
	for _, force := range []bool{false, true} {
		_, err := Merge([]*result.Result{a, b, &copyOfA}, force)
		var same *SameRunError
		if !errors.As(err, &same) || same.First != 0 || same.Other != 2 {
			t.Fatalf("force=%v: merging a run twice gave %v, want a *SameRunError for results 0 and 2", force, err)
		}
	}
	// Two processes that share a start instant (a fleet) are not the same run.
	if _, err := Merge([]*result.Result{a, b}, false); err != nil {
		t.Fatalf("two halves of one load were refused: %v", err)
	}
}
