package pools

// chanPool is a free list in a buffered channel: Get takes an idle object or,
// when none is idle, allocates one; Put returns it, or drops it when the list
// is full. Unlike sync.Pool it keeps its objects across garbage collections, so
// it never allocates again once warm, and holds their memory for good.
type chanPool struct {
	free chan *Object
	size int
}

// newChanPool returns a free list of capacity objects (at least 1).
func newChanPool(size, capacity int) *chanPool {
	return &chanPool{free: make(chan *Object, max(capacity, 1)), size: size}
}

func (c *chanPool) Get() *Object {
	select {
	case o := <-c.free:
		return o
	default:
		return NewObject(c.size)
	}
}

func (c *chanPool) Put(o *Object) {
	select {
	case c.free <- o:
	default:
	}
}

// Idle is the number of objects in the free list.
func (c *chanPool) Idle() int { return len(c.free) }
