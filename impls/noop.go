package impls

import "context"

// noop does nothing: driving it measures the harness's own cost per op (clock
// reads, recording, op generation), which every report shows as the floor.
type noop struct{}

func (noop) Do(context.Context, Op) Outcome { return OK }
func (noop) Verify() error                  { return nil }
func (noop) Close() error                   { return nil }

// NoopName is the name of the implementation that measures the harness floor.
const NoopName = "noop"

func init() {
	Register(Impl{
		Name:    NoopName,
		Family:  FamilyHarness,
		Summary: "does nothing: measures the harness floor (clock reads + recording)",
		New:     func(Config) (Target, error) { return noop{}, nil },
	})
}
