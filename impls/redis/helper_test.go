//go:build linux

package redis

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// The helper-process pattern: the test binary re-executes itself with
// -test.run=TestHelperProcess and these variables set, so that a lock is held by a
// genuinely separate process that the test can SIGKILL.
const (
	helperAddrEnv = "REDIS_HELPER_ADDR"
	helperKeyEnv  = "REDIS_HELPER_KEY"
	helperTTLEnv  = "REDIS_HELPER_TTL"
)

// TestHelperProcess is not a test: it is the body of a child that takes the Redis
// lock, prints its fencing token, and sleeps until it is killed.
func TestHelperProcess(t *testing.T) {
	addr := os.Getenv(helperAddrEnv)
	if addr == "" {
		t.Skip("helper process body; runs only when re-executed by another test")
	}
	ttl, _ := time.ParseDuration(os.Getenv(helperTTLEnv))
	client := goredis.NewClient(&goredis.Options{Addr: addr})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	lease, err := NewLock(client, os.Getenv(helperKeyEnv), ttl).Acquire(ctx)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println(lease.Fence)
	time.Sleep(30 * time.Second) // the parent kills us long before
	os.Exit(0)
}

// startHolder starts a child holding the lock at key and returns it with the
// fencing token it was granted. The child dies with the test.
func startHolder(t *testing.T, addr, key string, ttl time.Duration) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), helperAddrEnv+"="+addr, helperKeyEnv+"="+key, helperTTLEnv+"="+ttl.String())
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(out).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case s := <-line:
		return cmd, s
	case <-time.After(10 * time.Second):
		t.Fatal("lock holder did not report within 10s")
		return nil, ""
	}
}
