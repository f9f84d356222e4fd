package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/syncbench/syncbench/internal/redistest"
)

// aclUser makes a Redis user of password on srv and returns its URL.
func aclUser(t *testing.T, srv *redistest.Server, password string) string {
	t.Helper()
	admin := goredis.NewClient(&goredis.Options{Addr: srv.Addr()})
	defer admin.Close()
	if err := admin.Do(context.Background(), "ACL", "SETUSER", "bench", "on", ">"+password, "~*", "+@all").Err(); err != nil {
		t.Fatal(err)
	}
	return "redis://bench:" + password + "@" + srv.Addr()
}

// watchCommandLines reads every process's command line (/proc/PID/cmdline, which
// any user of the host can read) until stop is called, and returns the ones
// that hold marker.
func watchCommandLines(marker string) (stop func() (seen int, leaked []string)) {
	done := make(chan struct{})
	var mu sync.Mutex
	var wg sync.WaitGroup
	seen, leaked := 0, map[string]bool{}
	self := os.Getpid()
	wg.Go(func() {
		for {
			select {
			case <-done:
				return
			default:
			}
			paths, _ := filepath.Glob("/proc/[0-9]*/cmdline")
			for _, p := range paths {
				b, err := os.ReadFile(p)
				if err != nil || !bytes.Contains(b, []byte("--out=")) || strings.HasPrefix(p, "/proc/"+strconv.Itoa(self)+"/") {
					continue // not one of loadgen's children
				}
				mu.Lock()
				seen++
				if bytes.Contains(b, []byte(marker)) {
					leaked[strings.ReplaceAll(string(b), "\x00", " ")] = true
				}
				mu.Unlock()
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
	return func() (int, []string) {
		close(done)
		wg.Wait()
		var out []string
		for l := range leaked {
			out = append(out, l)
		}
		return seen, out
	}
}

func TestARedisPasswordNeverReachesAChildsCommandLine(t *testing.T) {
	// Not parallel: it points selfExecutable, a package variable, at loadgen.
	useChildBinary(t, loadgenBinary(t))
	srv := redistest.Start(t)
	const password = "s3cretPW-in-argv"
	url := aclUser(t, srv, password)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"-procs 2", []string{"-procs", "2"}},
		{"-forks 2", []string{"-forks", "2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			stop := watchCommandLines(password)
			args := append([]string{"-impl", "redis-gcra", "-redis", url, "-duration", "1s", "-warmup", "0s", "-quiet", "-out", out}, tc.args...)
			code, stdout, stderr := runCLI(t, args...)
			seen, leaked := stop()
			// The children authenticated: the password reached them, by
			// their environment.
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if seen == 0 {
				t.Fatal("no child's command line was seen while the run went on")
			}
			if len(leaked) > 0 {
				t.Fatalf("a child's command line holds the password: %q", leaked)
			}
			if strings.Contains(stdout+stderr, password) {
				t.Fatal("the password was printed")
			}
			filepath.Walk(out, func(path string, info os.FileInfo, err error) error {
				if b, rerr := os.ReadFile(path); err == nil && rerr == nil && bytes.Contains(b, []byte(password)) {
					t.Errorf("%s holds the password", path)
				}
				return nil
			})
		})
	}
}

func TestABadRedisAddressIsRefusedWithoutItsPassword(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, addr, want string }{
		{"user information without a scheme", "u:s3cretPW@127.0.0.1:16380", `-redis: redis address "u:***@127.0.0.1:16380": a user or password needs a URL`},
		{"a '#' in the password", "redis://u:s3cret#PW@127.0.0.1:16380", `redis address "redis://u:***@127.0.0.1:16380": not a valid URL`},
		{"a password in the query", "redis://127.0.0.1:16380?password=s3cretPW", `redis address "redis://127.0.0.1:16380?password=***": query and fragment are not supported`},
		{"a bad database after a password", "redis://u:s3cretPW@127.0.0.1:1/x", `"redis://u:***@127.0.0.1:1/x": database "x"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expectRefused(t, t.TempDir(), []string{"-impl", "redis-gcra", "-redis", tc.addr}, tc.want, "s3cret")
		})
	}
}
