package cli

import (
	"github.com/spf13/pflag"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/backend"
)

// backendFlags set the schedule of the model backend the breakers and adaptive
// families sit in front of (package impls/backend).
type backendFlags struct {
	file, capacity, service, failure, dist string
}

func (b *backendFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&b.file, "backend", "", "breakers, adaptive: a backend schedule file (YAML phases; see loadgen help backend)")
	fs.StringVar(&b.capacity, "backend-capacity", "", "breakers, adaptive: calls the backend serves at once, over the run, e.g. 16x3s,4x4s,16 (default: the family's)")
	fs.StringVar(&b.service, "backend-service", "", "breakers, adaptive: the backend's mean service time over the run, e.g. 10ms or 10msx3s,10ms..40msx2s,40ms")
	fs.StringVar(&b.failure, "backend-failure", "", "breakers, adaptive: the backend's failure rate over the run, e.g. 0x3s,1x4s,0 or 20%")
	fs.StringVar(&b.dist, "backend-dist", "", "breakers, adaptive: service-time distribution: uniform (m/2..3m/2), const or exp")
}

// backendFlagNames are the flags of backendFlags, for familyFlags.
var backendFlagNames = []string{"backend", "backend-capacity", "backend-service", "backend-failure", "backend-dist"}

// spec returns the schedule the flags give in the backend's spec syntax (what
// impls.Config.Backend holds): the file's phases, with the tracks given by flags
// in their place; "" when none is set, so each family keeps its default. A bad
// file is reported as FILE:LINE:COL, a bad flag by its name.
func (b *backendFlags) spec(fs *pflag.FlagSet) (string, error) {
	var s backend.Schedule
	if fs.Changed("backend") {
		var err error
		if s, err = backend.LoadFile(b.file); err != nil {
			return "", err
		}
	}
	for _, f := range []struct {
		name  string
		text  string
		track *backend.Track
	}{{"capacity", b.capacity, &s.Capacity}, {"service", b.service, &s.Service}, {"failure", b.failure, &s.Failure}} {
		if !fs.Changed("backend-" + f.name) {
			continue
		}
		t, err := backend.ParseTrack(f.name, "-backend-"+f.name, f.text)
		if err != nil {
			return "", err
		}
		*f.track = t
	}
	if fs.Changed("backend-dist") {
		d, err := backend.ParseDist("-backend-dist", b.dist)
		if err != nil {
			return "", err
		}
		s.Dist = d
	}
	return s.String(), nil
}

// followsBackendSchedule reports whether any of chosen runs in front of the
// scheduled backend, whose steps are placed on the measured window: a
// duration split among forks would cut the schedule short.
func followsBackendSchedule(chosen []impls.Impl) bool {
	for _, impl := range chosen {
		if impl.Family == impls.FamilyBreakers || impl.Family == impls.FamilyAdaptive {
			return true
		}
	}
	return false
}

func init() { helpTopics["backend"] = backendHelp }

func backendHelp() string {
	return `The scheduled backend (breakers, adaptive): -backend-* flags or -backend FILE

The breakers and adaptive families sit in front of a model server whose
capacity (calls served at once; more queue), mean service time and failure
rate each follow a schedule over the measured window. Since the schedule is
known, each breaker and limit is scored against the truth.

  -backend-capacity LIST   calls served at once, whole numbers ≥ 1
  -backend-service LIST    mean service time, a Go duration
  -backend-failure LIST    failure rate, a fraction (0..1) or a percentage
  -backend-dist NAME       uniform (m/2..3m/2, default), const, exp
  -backend FILE.yaml       phases, back to back (flags given as well replace
                           the file's track of the same name)

A LIST is stages, comma separated: VALUExDURATION holds VALUE, FROM..TOxDURATION
ramps linearly, and a bare VALUE last holds for the rest of the run. Offset 0
is the opening of the measured window; during the warm-up the first values hold.

Defaults: breakers: capacity 64, service 10ms, failure 0x3s,1x4s,0 (an outage
from 3 s to 7 s); adaptive: capacity 16x3s,4x4s,16, service 10ms, failure 0.
A track not given keeps the family's default.

A schedule file:
  dist: uniform
  phases:
    - {name: healthy, duration: 3s, capacity: 16, service: 10ms, failure: 0}
    - {name: brownout, duration: 2s, ramp: true, capacity: 4, service: 40ms, failure: 20%}
    - {name: recovery, capacity: 16, service: 10ms, failure: 0}
(a key a phase leaves out holds; ramp: true moves linearly from the previous
phase's values; the last phase may omit its duration.)

Run them open loop, with room in flight, so shed calls are not reissued at once:
  loadgen -impl adaptive -rps 2000 -concurrency 64
  loadgen -impl breakers -rps 500 -concurrency 64 -backend-failure 0x3s,60%x4s,0
`
}
