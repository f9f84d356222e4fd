package locks

// keySpace is the number of keys a map target spreads its ops over, at least 1.
type keySpace uint64

func newKeySpace(keys int) keySpace { return keySpace(max(keys, 1)) }

// of returns the key an op with Op.Key key touches. With a single key every op
// uses key 0, whatever Op.Key says; otherwise Op.Key is trusted to lie below
// Config.Keys, as the Target contract promises, rather than paying a division on
// every op. It takes the key alone, not the Op, so the hot path copies no Op.
func (k keySpace) of(key uint64) uint64 {
	if k == 1 {
		return 0
	}
	return key
}
