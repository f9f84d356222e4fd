package result

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// CurrentEnvironment describes this process and machine; the machine's mode
// (Machine) is measured once per process by its caller and filled in there.
// Fields that cannot be
// read (CPU model off Linux, commit of a binary built without VCS stamping run
// outside a git checkout) are left empty.
func CurrentEnvironment() Environment {
	host, _ := os.Hostname()
	return Environment{
		GoVersion:  runtime.Version(),
		GOOS:       runtime.GOOS,
		GOARCH:     runtime.GOARCH,
		CPUModel:   cpuModel(),
		NumCPU:     runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		Hostname:   host,
		Commit:     commit(),
		PID:        os.Getpid(),
	}
}

// cpuModel reads the first "model name" of /proc/cpuinfo.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(key) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return ""
}

// commit is the revision results are attributed to: the binary's VCS stamp, or
// when the build has none (go run, tests, CI building with -buildvcs=false) the
// checkout it runs in, from $GITHUB_SHA or `git rev-parse HEAD`. It is computed
// once per process: the checkout does not change under a running benchmark.
var commit = sync.OnceValue(func() string {
	if rev := vcsRevision(); rev != "" {
		return rev
	}
	return checkoutRevision(os.Getenv("GITHUB_SHA"), gitHead)
})

// checkoutRevision returns githubSHA when set, else what head reports (a
// 40-hex-digit commit id), else "".
func checkoutRevision(githubSHA string, head func() string) string {
	if s := strings.TrimSpace(githubSHA); s != "" {
		return s
	}
	if h := head(); isCommitID(h) {
		return h
	}
	return ""
}

// gitHead runs `git rev-parse HEAD` in the working directory, giving up after
// two seconds (a hung credential helper or network file system must not stall a
// run); "" when git is missing or this is not a checkout.
func gitHead() string {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "git", "rev-parse", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// isCommitID reports whether s looks like a full SHA-1 or SHA-256 commit id.
func isCommitID(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// vcsRevision returns the commit the binary was built from, with a "-dirty" suffix
// for a modified tree, or "" when the build carries no VCS stamp (go run, tests).
func vcsRevision() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev != "" && modified == "true" {
		rev += "-dirty"
	}
	return rev
}
