package pools

import (
	"sync/atomic"
	"unsafe"
)

// Object is one pooled object: a single allocation of Size() bytes whose first
// HeaderSize bytes are this header and the rest the payload a user writes
// (Bytes). Making the header part of the object, rather than a struct pointing
// at a buffer, keeps a plain allocation to exactly one allocation of -size
// bytes, so allocs/op and bytes/op compare the strategies and nothing else; and
// *Object is a pointer, so sync.Pool's Put stores it in an interface without
// allocating (a []byte would allocate its slice header on every Put, SA6002).
//
// The header holds the harness's owner mark (which worker holds the object,
// set on Get and cleared on Put with compare-and-swap, so a second holder is
// caught) and a use count. Make objects with NewObject only.
type Object struct {
	owner atomic.Uint64 // 0 when free, worker+1 while held
	uses  atomic.Uint32 // Gets that returned this object; 0 until its first
	size  uint32        // the whole allocation, header included
}

// HeaderSize is the bytes of every object taken by its header: the smallest
// object size.
const HeaderSize = int(unsafe.Sizeof(Object{}))

// MaxSize is the largest object size: the header counts it in 32 bits.
const MaxSize = 1 << 30

// NewObject allocates an object of size bytes (one heap allocation, zeroed, its
// header included). size must lie in [HeaderSize, MaxSize]; NewObject panics
// otherwise, as the constructors check it first.
func NewObject(size int) *Object {
	if size < HeaderSize || size > MaxSize {
		panic("pools: object size out of range")
	}
	// A []byte holds no pointers, so the collector never scans the payload;
	// the header holds none either. Every size class from 16 bytes up (the
	// tiny allocator, which packs objects unaligned, serves only smaller ones)
	// is a multiple of 8, so the header's 64-bit atomic is aligned.
	buf := make([]byte, size)
	o := (*Object)(unsafe.Pointer(unsafe.SliceData(buf)))
	o.size = uint32(size)
	return o
}

// Size is the object's size in bytes, header included.
func (o *Object) Size() int { return int(o.size) }

// Bytes returns the object's payload, Size() − HeaderSize bytes, for its holder
// to write. It aliases the object: valid while the object is held.
func (o *Object) Bytes() []byte {
	return unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(o), HeaderSize)), int(o.size)-HeaderSize)
}

// Uses reports how many times the harness has taken the object from a pool; a
// pool may read it (to prefer a warm object, say) but never write it.
func (o *Object) Uses() uint32 { return o.uses.Load() }
