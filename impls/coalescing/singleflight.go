package coalescing

import (
	"context"
	"strconv"

	"golang.org/x/sync/singleflight"
)

// maxKeyTable is the most keys whose singleflight key strings are made up
// front: a user formats a key once, and strconv's allocation per call would be
// this harness's choice, not the library's cost. Keys beyond it are formatted
// per call.
const maxKeyTable = 1 << 16

// keyStrings formats the keys below keys (at most maxKeyTable of them).
func keyStrings(keys int) []string {
	table := make([]string, min(max(keys, 1), maxKeyTable))
	for i := range table {
		table[i] = strconv.Itoa(i)
	}
	return table
}

func keyString(table []string, key uint64) string {
	if key < uint64(len(table)) {
		return table[key]
	}
	return strconv.FormatUint(key, 10)
}

// flightDo is golang.org/x/sync/singleflight's Do as it is most often used:
// the caller that starts a key's call runs the fetch with its own context, and
// every caller waits for the call whatever its context says. So a caller that
// gives up cannot leave, and a leader that gives up fails the call for every
// caller sharing it.
type flightDo struct {
	g    singleflight.Group
	keys []string
}

func (f *flightDo) Get(ctx context.Context, req Request, fetch Fetch) (Answer, error) {
	v, err, _ := f.g.Do(keyString(f.keys, req.Key), func() (any, error) {
		return fetch(ctx, req)
	})
	a, _ := v.(Answer)
	return a, err
}

// flightChan is singleflight's DoChan with a context: each caller waits for the
// shared call or for its own context, whichever ends first, and the call runs
// detached from the leader's cancellation (context.WithoutCancel), so a caller
// that gives up leaves alone and the others still get their answer.
type flightChan struct {
	g    singleflight.Group
	keys []string
}

func (f *flightChan) Get(ctx context.Context, req Request, fetch Fetch) (Answer, error) {
	ch := f.g.DoChan(keyString(f.keys, req.Key), func() (any, error) {
		return fetch(context.WithoutCancel(ctx), req)
	})
	select {
	case r := <-ch:
		a, _ := r.Val.(Answer)
		return a, r.Err
	case <-ctx.Done():
		return Answer{}, ctx.Err()
	}
}
