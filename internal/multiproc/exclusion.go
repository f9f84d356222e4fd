package multiproc

import (
	"fmt"
	"strings"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/filelocks"
)

// exclusion checks impl's count file against the children's acknowledged
// acquisitions and records the verdict, in the merged results too.
func (r *run) exclusion(impl impls.Impl, lockFile string, children []*childProc, groups []*Group, complete bool) {
	verdict := "not checked"
	defer func() {
		for _, g := range groups {
			g.Merged.Extras[ExtrasKey]["exclusion_check"] = verdict
		}
	}()
	if !complete {
		r.out.Verdicts = append(r.out.Verdicts, fmt.Sprintf("%s: exclusion across processes not checked: a process ended without accounting for all its acquisitions", impl.Name))
		return
	}
	var acknowledged uint64
	for _, g := range groups {
		for _, res := range g.Procs {
			if res != nil {
				acknowledged += uint64(res.ImplStats["acquisitions"])
			}
		}
	}
	tally, err := filelocks.ReadTally(lockFile)
	if err != nil {
		verdict = "failed"
		r.out.Failures = append(r.out.Failures, fmt.Sprintf("%s: reading the exclusion tally: %v", impl.Name, err))
		return
	}
	if err := checkExclusion(tally, acknowledged); err != nil {
		verdict = "failed"
		line := fmt.Sprintf("%s: exclusion across %d processes violated: %v", impl.Name, len(children), err)
		r.out.Verdicts = append(r.out.Verdicts, line)
		r.out.Failures = append(r.out.Failures, line)
		return
	}
	verdict = "passed"
	r.out.Verdicts = append(r.out.Verdicts, fmt.Sprintf("%s: exclusion across %d processes passed: the count file holds %d exclusive acquisitions, as many as the processes acknowledged, and no overlap",
		impl.Name, len(children), tally.Acquisitions))
}

// checkExclusion compares a count file's tally with the exclusive acquisitions
// the processes acknowledged. Fewer in the file means increments were lost to
// concurrent holders; more means a section incremented the counter but was not
// acknowledged (its release failed); any overlap means two holders were inside at
// once.
func checkExclusion(tally filelocks.Tally, acknowledged uint64) error {
	var problems []string
	if tally.Overlaps > 0 {
		problems = append(problems, fmt.Sprintf("%d critical sections found another holder inside", tally.Overlaps))
	}
	switch {
	case tally.Acquisitions < acknowledged:
		problems = append(problems, fmt.Sprintf("the count file holds %d exclusive acquisitions but the processes acknowledged %d: %d increments were lost",
			tally.Acquisitions, acknowledged, acknowledged-tally.Acquisitions))
	case tally.Acquisitions > acknowledged:
		problems = append(problems, fmt.Sprintf("the count file holds %d exclusive acquisitions but the processes acknowledged only %d",
			tally.Acquisitions, acknowledged))
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%s", strings.Join(problems, "; "))
}
