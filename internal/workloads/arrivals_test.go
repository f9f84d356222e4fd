package workloads

import (
	"testing"
	"time"
)

func TestConstantArrivalsAreExactAndDoNotDrift(t *testing.T) {
	a := Constant(1000)
	for i := range 1_000_001 {
		offset, ok := a.Next()
		if !ok {
			t.Fatalf("schedule ended at op %d", i)
		}
		if want := time.Duration(i) * time.Millisecond; (i%100_000 == 0 || i < 10) && offset != want {
			t.Fatalf("op %d at %v, want %v", i, offset, want)
		}
	}
}

func TestConstantArrivalsAtAFractionalRate(t *testing.T) {
	a := Constant(3) // 333.33 ms apart: rounding must not accumulate
	var last time.Duration
	for range 3001 {
		last, _ = a.Next()
	}
	if want := 1000 * time.Second; last < want-time.Microsecond || last > want+time.Microsecond {
		t.Fatalf("op 3000 at %v, want %v", last, want)
	}
}

func TestSpecValidateNamesTheBadValue(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Spec)
	}{
		{"negative rate", func(s *Spec) { s.Rate = -1 }},
		{"zero concurrency", func(s *Spec) { s.Concurrency = 0 }},
		{"zero duration", func(s *Spec) { s.Duration = 0 }},
		{"read ratio above one", func(s *Spec) { s.ReadRatio = 1.5 }},
		{"a zero weight", func(s *Spec) { s.Weights = []int64{1, 0} }},
	}
	for _, tc := range tests {
		t.Run("a spec with "+tc.name+" is invalid", func(t *testing.T) {
			s := DefaultSpec()
			tc.mutate(&s)
			if err := s.Validate(); err == nil {
				t.Fatal("Validate accepted it")
			}
		})
	}
	if err := DefaultSpec().Validate(); err != nil {
		t.Fatalf("DefaultSpec is invalid: %v", err)
	}
}
