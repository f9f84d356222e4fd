package locks

import "github.com/syncbench/syncbench/impls"

// keySpace is the number of keys a map target spreads its ops over, at least 1.
type keySpace uint64

func newKeySpace(keys int) keySpace { return keySpace(max(keys, 1)) }

// of returns the key op touches. With a single key every op uses key 0, whatever
// Op.Key says; otherwise Op.Key is trusted to lie below Config.Keys, as the
// Target contract promises, rather than paying a division on every op.
func (k keySpace) of(op impls.Op) uint64 {
	if k == 1 {
		return 0
	}
	return op.Key
}
