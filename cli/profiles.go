package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"

	"github.com/spf13/pflag"
)

// profileFlags request profiles of the whole load phase (every cell), written
// beside the results: a bare file name goes into -out when it is set.
type profileFlags struct {
	cpu, mutex, block, trace string
}

func (p *profileFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&p.cpu, "cpuprofile", "", "write a CPU profile of the runs to this file")
	fs.StringVar(&p.mutex, "mutexprofile", "", "write a mutex contention profile of the runs to this file")
	fs.StringVar(&p.block, "blockprofile", "", "write a goroutine blocking profile of the runs to this file")
	fs.StringVar(&p.trace, "trace", "", "write an execution trace of the runs to this file (go tool trace)")
}

// profiler holds the profiles being taken.
type profiler struct {
	flags          profileFlags
	cpuFile, trace *os.File
}

// placeProfiles resolves each requested profile path against outDir.
func (p *profileFlags) place(outDir string) {
	for _, path := range []*string{&p.cpu, &p.mutex, &p.block, &p.trace} {
		if *path != "" && outDir != "" && filepath.Base(*path) == *path {
			*path = filepath.Join(outDir, *path)
		}
	}
}

// startProfiles starts the requested profiles. Mutex and block profiling record
// every event (rates of 1): they slow contended primitives, which the profile
// then shows, so they are off unless asked for.
func startProfiles(flags profileFlags) (*profiler, error) {
	p := &profiler{flags: flags}
	var err error
	if flags.cpu != "" {
		if p.cpuFile, err = os.Create(flags.cpu); err != nil {
			return nil, err
		}
		if err = pprof.StartCPUProfile(p.cpuFile); err != nil {
			p.cpuFile.Close()
			return nil, err
		}
	}
	if flags.trace != "" {
		if p.trace, err = os.Create(flags.trace); err != nil {
			p.stop()
			return nil, err
		}
		if err = trace.Start(p.trace); err != nil {
			p.stop()
			return nil, err
		}
	}
	if flags.mutex != "" {
		runtime.SetMutexProfileFraction(1)
	}
	if flags.block != "" {
		runtime.SetBlockProfileRate(1)
	}
	return p, nil
}

// stop ends every profile and writes the snapshot ones.
func (p *profiler) stop() error {
	var errs []error
	if p.cpuFile != nil {
		pprof.StopCPUProfile()
		errs = append(errs, p.cpuFile.Close())
	}
	if p.trace != nil {
		trace.Stop()
		errs = append(errs, p.trace.Close())
	}
	for _, snap := range []struct{ name, path string }{{"mutex", p.flags.mutex}, {"block", p.flags.block}} {
		if snap.path == "" {
			continue
		}
		f, err := os.Create(snap.path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		errs = append(errs, pprof.Lookup(snap.name).WriteTo(f, 0), f.Close())
	}
	runtime.SetMutexProfileFraction(0)
	runtime.SetBlockProfileRate(0)
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("writing profiles: %w", err)
	}
	return nil
}
