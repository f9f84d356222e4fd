package syncbench_test

import (
	"os/exec"
	"strings"
	"testing"
)

// lightPackages are what a user imports to benchmark their own type: the
// bench helpers and the implementation adapters. They must stay light.
var lightPackages = []string{"./bench", "./impls", "./impls/locks", "./impls/semaphores", "./impls/limiters", "./impls/filelocks", "./result", "./impls/backend", "./impls/breakers", "./impls/adaptive"}

// heavyModules are the stacks only the command line and its reports need:
// plotting (gonum, and with it fonts and PDF), markdown to HTML (goldmark),
// Redis and the live metrics (Prometheus's client, with protobuf).
var heavyModules = []string{"gonum.org/", "github.com/yuin/goldmark", "github.com/redis/go-redis", "github.com/go-redis/", "github.com/go-redsync/", "github.com/prometheus/", "google.golang.org/protobuf"}

func TestTheLightPackagesImportNeitherPlottingNorRedisNorPrometheus(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list dependencies: %v", err)
	}
	for _, pkg := range lightPackages {
		out, err := exec.Command(goBin, "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		deps := strings.Fields(string(out))
		if len(deps) < 2 {
			t.Fatalf("go list -deps %s listed %d packages: %q", pkg, len(deps), out)
		}
		for _, dep := range deps {
			for _, heavy := range heavyModules {
				if strings.HasPrefix(dep, heavy) {
					t.Errorf("%s depends on %s: a user importing it would pull in the %s stack", pkg, dep, heavy)
				}
			}
		}
	}
	// The check can fail: the command line does pull these stacks.
	out, err := exec.Command(goBin, "list", "-deps", "./cli").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps ./cli: %v\n%s", err, out)
	}
	for _, heavy := range []string{"gonum.org/", "github.com/redis/go-redis", "github.com/prometheus/client_golang"} {
		if !strings.Contains(string(out), heavy) {
			t.Errorf("./cli does not depend on %s any more: update heavyModules", heavy)
		}
	}
}
