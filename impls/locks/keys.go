package locks

// DefaultMapKeys is the number of keys a map target is filled with, and a run
// spreads its ops over, when Config.Keys is 0: the count the named map
// workloads (map-reads-*) and xsync's published map benchmarks use. A map
// measured on one key measures one hot entry: map-rwmutex against map-xsync
// reads 0.5× there and 1.1× over 1000 keys.
const DefaultMapKeys = 1000

// keySpace is the number of keys a map target spreads its ops over, at least 1.
type keySpace uint64

// newKeySpace returns the key space for Config.Keys keys: DefaultMapKeys for 0.
func newKeySpace(keys int) keySpace {
	if keys == 0 {
		return DefaultMapKeys
	}
	return keySpace(max(keys, 1))
}

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
