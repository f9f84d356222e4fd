package cli

import (
	"errors"
	"path/filepath"
	"slices"
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
// families does not make the other families' flags bad input. It returns, for
// each flag whose value now comes from the file, the file's key (see
// plan.fromFile).
func applyScenario(fs *pflag.FlagSet, f *runFlags, path string) (*workloads.Scenario, map[string]string, error) {
	sc, err := workloads.LoadScenario(path)
	if err != nil {
		return nil, nil, err
	}
	unset := func(flag string) bool { return !fs.Changed(flag) }
	fromFile := map[string]string{}
	for flag, key := range map[string]string{"impl": "impl", "keys": "keys", "zipf": "zipf", "work": "work", "hold": "hold", "think": "think", "warmup": "warmup", "seed": "seed"} {
		if sc.Sets(key) && unset(flag) {
			fromFile[flag] = key
		}
	}
	if sc.Sets("mix") && unset("mix") && unset("read-ratio") {
		fromFile["mix"], fromFile["read-ratio"] = "mix", "mix"
	}
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
			key := "params." + name
			if err := fl.Value.Set(value); err != nil {
				return nil, nil, sc.ErrorAt(key, "%s: %v", name, err)
			}
			fromFile[name] = key
		}
	}
	return sc, fromFile, nil
}

// blame turns an error that names a flag the user did not pass, but whose
// value came from the scenario file ("-impl: unknown implementation", "-keys
// ... is too large"), into a *workloads.ScenarioError at that value in the
// file, naming the file's key: FILE:LINE:COL: impl: unknown implementation.
// Any other error is returned as it is.
func (p *plan) blame(err error) error {
	if err == nil || p.scenario == nil {
		return err
	}
	if _, ok := errors.AsType[*workloads.ScenarioError](err); ok {
		return err
	}
	msg := err.Error()
	for flag, key := range p.fromFile {
		rest, ok := strings.CutPrefix(msg, "-"+flag)
		if !ok || (rest != "" && rest[0] != ' ' && rest[0] != ':') {
			continue
		}
		return p.scenario.ErrorAt(key, "%s%s", key, rest)
	}
	return err
}

// checkFileParams refuses a family parameter of the scenario file that applies
// to none of the chosen implementations, as checkFamilyFlags refuses the flag:
// ignored, it would make the run measure another configuration than the file
// describes. Parameters the command line overrides are the command line's.
func (p *plan) checkFileParams() error {
	names := make([]string, 0, len(p.fromFile))
	for flag, key := range p.fromFile {
		if strings.HasPrefix(key, "params.") || key == "keys" || key == "hold" {
			names = append(names, flag)
		}
	}
	slices.Sort(names) // the first in a fixed order
	for _, name := range names {
		families, ok := familyFlags[name]
		if !ok {
			continue
		}
		applies := false
		for _, impl := range p.chosen {
			applies = applies || slices.Contains(families, impl.Family)
		}
		if !applies {
			chosen := make([]string, len(p.chosen))
			for i, impl := range p.chosen {
				chosen[i] = impl.Name
			}
			return p.scenario.ErrorAt(p.fromFile[name], "%s does not apply to %s (it applies to: %s; allowed: remove it, or choose such an implementation)", name, strings.Join(chosen, ", "), strings.Join(families, ", "))
		}
	}
	return nil
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
