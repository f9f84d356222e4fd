package coalescing

import "context"

// noCoalesce calls the backend once per caller, with the caller's context: the
// baseline that shows what coalescing saves.
type noCoalesce struct{}

func (noCoalesce) Get(ctx context.Context, req Request, fetch Fetch) (Answer, error) {
	return fetch(ctx, req)
}
