package cli

import (
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"
	"github.com/syncbench/syncbench/internal/workloads"
)

// isScenarioFile reports whether a -workload value names a scenario file rather
// than a built-in workload.
func isScenarioFile(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

// applyScenario loads the scenario file named by -workload and applies what it
// sets to every flag the user did not give explicitly: the file is a set of
// defaults, the command line still wins. The family parameters are applied
// without marking their flags as set, so a file that configures several
// families does not make the other families' flags bad input.
func applyScenario(fs *pflag.FlagSet, f *runFlags, path string) (*workloads.Scenario, error) {
	sc, err := workloads.LoadScenario(path)
	if err != nil {
		return nil, err
	}
	unset := func(flag string) bool { return !fs.Changed(flag) }
	if sc.Impl != "" && unset("impl") {
		f.impl = sc.Impl
	}
	presets{readRatio: sc.ReadRatio, mix: sc.Mix, keys: sc.Keys, zipf: sc.Zipf, work: sc.Work, hold: sc.Hold, think: sc.Think}.applyTo(fs, f)
	if sc.Warmup != nil && unset("warmup") {
		f.warmup = *sc.Warmup
	}
	if sc.Seed != nil && unset("seed") {
		f.seed = *sc.Seed
	}
	for name, value := range sc.Params.Flags() {
		if fl := fs.Lookup(name); fl != nil && unset(name) {
			if err := fl.Value.Set(value); err != nil {
				return nil, err
			}
		}
	}
	return sc, nil
}

// phaseSpec shapes a cell's spec for one scenario phase. Each phase is measured
// as its own run on a fresh target; the warm-up precedes the first phase only.
func phaseSpec(spec *workloads.Spec, ph workloads.Phase, index int, seed int64) {
	spec.Duration = ph.Duration
	if index > 0 {
		spec.Warmup = 0
	}
	if !ph.Open() {
		spec.Rate = 0
		return
	}
	spec.Rate = ph.Rate
	name := ph.Arrival
	if name == "" {
		name = workloads.ArrivalConstant
	}
	params := ph.ArrivalParams(seed)
	spec.Arrival = name
	spec.Arrivals = func() (workloads.Arrivals, error) { return workloads.ParseArrival(name, params) }
	if a, err := spec.Arrivals(); err == nil {
		if mean, ok := workloads.MeanRate(a, spec.Duration+spec.Warmup); ok && mean > 0 {
			spec.Rate = mean
		}
	}
	if spec.Rate <= 0 {
		spec.Rate = 1
	}
}
