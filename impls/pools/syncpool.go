package pools

import "sync"

// syncPool is sync.Pool making objects of one size. The runtime empties its
// primary cache into a victim cache at every garbage collection and drops the
// victim's at the next, so an object idle across two collections is freed: how
// often that happens is what GOGC changes (golang/go#22950).
type syncPool struct {
	p sync.Pool
}

func newSyncPool(size int) *syncPool {
	sp := &syncPool{}
	sp.p.New = func() any { return NewObject(size) }
	return sp
}

func (sp *syncPool) Get() *Object  { return sp.p.Get().(*Object) }
func (sp *syncPool) Put(o *Object) { sp.p.Put(o) }
