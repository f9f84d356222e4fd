package result

import (
	"fmt"

	"github.com/syncbench/syncbench/internal/units"
)

// ModeText says which timing mode the floor was measured in and, for a sampled
// floor, what the same harness costs with every op timed (the cost an open loop
// or `-sample 1` pays), e.g. "sampled timing; every op timed: 128ns/op". It is
// empty for floors of results written before timing modes existed.
func (f Floor) ModeText() string {
	switch {
	case f.Mode == "":
		return ""
	case f.Mode == "full" || f.FullNsPerOp <= 0:
		return f.Mode + " timing"
	default:
		return fmt.Sprintf("%s timing; every op timed: %s/op", f.Mode, units.Duration(f.FullNsPerOp))
	}
}
