package pools

import "testing"

func TestNewObjectIsOneAllocationOfItsSize(t *testing.T) {
	for _, size := range []int{HeaderSize, 24, 100, DefaultSize, 1 << 20} {
		o := NewObject(size)
		if o.Size() != size || len(o.Bytes()) != size-HeaderSize || o.Uses() != 0 || o.owner.Load() != 0 {
			t.Errorf("NewObject(%d): size %d, payload %d, uses %d, owner %d", size, o.Size(), len(o.Bytes()), o.Uses(), o.owner.Load())
		}
		// The payload starts right after the header, inside the allocation.
		b := o.Bytes()
		if len(b) > 0 {
			b[0], b[len(b)-1] = 1, 2
		}
	}
	// Kept in a package variable, as a pool keeps it, so it escapes.
	if n := testing.AllocsPerRun(100, func() { sink = NewObject(DefaultSize) }); n != 1 {
		t.Errorf("NewObject allocates %v times, want 1", n)
	}
}

var sink *Object

func TestNewObjectPanicsOutsideItsSizes(t *testing.T) {
	for _, size := range []int{0, HeaderSize - 1, MaxSize + 1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewObject(%d) did not panic", size)
				}
			}()
			NewObject(size)
		}()
	}
}
