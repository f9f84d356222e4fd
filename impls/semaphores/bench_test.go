package semaphores

import (
	"context"
	"testing"

	marusama "github.com/marusama/semaphore/v2"
	"golang.org/x/sync/semaphore"
)

// BenchmarkUncontended is the cost of one Acquire(ctx, 1) + Release(1) pair from a
// single goroutine on the raw semaphore types (no Target, no instrumentation).
// The fifo/weighted pair is the required figure: FIFO must be no slower than
// x/sync's Weighted on the uncontended path. Each loop calls the concrete type,
// so neither pays an interface call the other does not.
func BenchmarkUncontended(b *testing.B) {
	ctx := context.Background()
	b.Run("impl=fifo", func(b *testing.B) {
		s := NewFIFO(1)
		b.ReportAllocs()
		for b.Loop() {
			if err := s.Acquire(ctx, 1); err != nil {
				b.Fatal(err)
			}
			s.Release(1)
		}
	})
	b.Run("impl=weighted", func(b *testing.B) {
		s := semaphore.NewWeighted(1)
		b.ReportAllocs()
		for b.Loop() {
			if err := s.Acquire(ctx, 1); err != nil {
				b.Fatal(err)
			}
			s.Release(1)
		}
	})
}

// BenchmarkContended is the cost of an Acquire(ctx, 1) + Release(1) pair when
// every benchmark goroutine (GOMAXPROCS of them, see -cpu) shares a semaphore of
// size 1, so each pair contends with all the others and most acquires wait. All
// five semaphores with a native Acquire are shown through the common adapter
// interface, which costs each the same.
func BenchmarkContended(b *testing.B) {
	for _, bc := range []struct {
		name string
		sem  func() Semaphore
	}{
		{"fifo", func() Semaphore { return NewFIFO(1) }},
		{"weighted", func() Semaphore { return semaphore.NewWeighted(1) }},
		{"chansem", func() Semaphore { return newChanSem(1) }},
		{"condsem", func() Semaphore { return newCondSem(1) }},
		{"marusama", func() Semaphore { return marusamaSem{marusama.New(1)} }},
	} {
		b.Run("impl="+bc.name, func(b *testing.B) {
			s := bc.sem()
			ctx := context.Background()
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := s.Acquire(ctx, 1); err != nil {
						b.Error(err)
						return
					}
					s.Release(1)
				}
			})
		})
	}
}
