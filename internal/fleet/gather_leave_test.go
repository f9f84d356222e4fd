package fleet

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/syncbench/syncbench/internal/redistest"
)

// cancelAtPoll is a go-redis hook that ends a member's context just as its
// first poll of the gathering is sent: the interrupt arriving inside the
// poll's round trip instead of between two polls.
type cancelAtPoll struct {
	cancel context.CancelFunc
	done   bool
}

func (h *cancelAtPoll) DialHook(next goredis.DialHook) goredis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) { return next(ctx, network, addr) }
}

func (h *cancelAtPoll) ProcessHook(next goredis.ProcessHook) goredis.ProcessHook {
	return func(ctx context.Context, cmd goredis.Cmder) error {
		if a := cmd.Args(); !h.done && len(a) > 1 && strings.EqualFold(cmd.Name(), "evalsha") && a[1] == pollScript.Hash() {
			h.done = true
			h.cancel()
		}
		return next(ctx, cmd)
	}
}

func (h *cancelAtPoll) ProcessPipelineHook(next goredis.ProcessPipelineHook) goredis.ProcessPipelineHook {
	return next
}

// A member interrupted during a poll's round trip still fails its gathering,
// so the others are told at once rather than at the deadline a minute away.
// Before it did, the interrupted poll returned without leaving, and the
// fleet's leaver test failed on a loaded machine.
func TestAMemberInterruptedInsideAPollStillLeaves(t *testing.T) {
	srv := redistest.Start(t)
	f := Fleet{Name: "pollquit", Size: 3}
	opts := Options{ArriveWithin: time.Minute}
	newClient := func() goredis.UniversalClient {
		c := goredis.NewUniversalClient(&goredis.UniversalOptions{Addrs: []string{srv.Addr()}})
		t.Cleanup(func() { _ = c.Close() })
		return c
	}

	stayed := make(chan error, 1)
	stayerIn := make(chan struct{})
	go func() {
		o := opts
		o.Describe = "stayer"
		o.OnWait = func(int, int, int) {
			select {
			case <-stayerIn:
			default:
				close(stayerIn)
			}
		}
		_, err := NewMember(newClient(), f, o).Gather(context.Background(), "noop", 0, time.Second)
		stayed <- err
	}()
	<-stayerIn

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := newClient()
	hook := &cancelAtPoll{cancel: cancel}
	c.AddHook(hook)
	o := opts
	o.Describe = "quitter"
	if _, err := NewMember(c, f, o).Gather(ctx, "noop", 0, time.Second); !errors.Is(err, context.Canceled) {
		t.Fatalf("the interrupted member: %v, want context.Canceled", err)
	}
	if !hook.done {
		t.Fatal("the quitter never polled: the test did not interrupt a poll")
	}
	select {
	case err := <-stayed:
		if err == nil || !strings.Contains(err.Error(), "quitter left before the start") {
			t.Fatalf("the member left waiting: %v, want told that the quitter left", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the member left waiting was not told within 5s (the deadline is a minute away)")
	}
}
