package metrics

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"runtime/debug"
	"testing"
)

// ownProcessEnv names the one test a child process started by inOwnProcess runs.
const ownProcessEnv = "METRICS_OWN_PROCESS"

// inOwnProcess gives a test that counts allocations a process of its own. The
// runtime's counters (ReadMemStats) take whatever any goroutine allocates, and
// in the package's test process another test's leftover goroutine, or the
// testing package's, can allocate between two reads: exact counts then failed
// about one fresh-clone run in three, and taking the least of a few tries only
// makes that rarer. So in the test process inOwnProcess runs the calling test
// again in a child process (the test binary, told by ownProcessEnv to run that
// test alone), fails the test if the child fails it, and returns false: the
// caller returns. In the child it returns true with GOMAXPROCS set to 1 (no
// other goroutine runs unless the test's own yields) and the garbage collector
// off, both restored when the test ends; nothing else has run in that process.
func inOwnProcess(t *testing.T) bool {
	t.Helper()
	if os.Getenv(ownProcessEnv) == t.Name() {
		procs := runtime.GOMAXPROCS(1)
		gc := debug.SetGCPercent(-1)
		// The goroutine that started this test may not have parked yet: on a
		// loaded machine it blocks on the test's end only later, inside the
		// count, and takes a sudog the runtime allocates (one 112-byte object
		// seen). With one P, yielding lets it, and anything else runnable, get
		// there first.
		for range 10 {
			runtime.Gosched()
		}
		t.Cleanup(func() {
			debug.SetGCPercent(gc)
			runtime.GOMAXPROCS(procs)
		})
		return true
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("finding the test binary: %v", err)
	}
	cmd := exec.Command(exe, "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.count=1", "-test.v")
	// The race detector sleeps a second before a process exits, to catch the
	// reports of goroutines still running; the child has none.
	cmd.Env = append(os.Environ(), ownProcessEnv+"="+t.Name(), "GORACE="+os.Getenv("GORACE")+" atexit_sleep_ms=0")
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("--- PASS: "+t.Name()+" ")) {
		t.Fatalf("%s in a process of its own: %v\n%s", t.Name(), err, out)
	}
	return false
}
