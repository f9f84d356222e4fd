package fleet

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// Defaults for zero Options fields.
const (
	// DefaultArriveWithin is how long the first member of a gathering waits
	// for the others: enough to start loadgen on a few hosts by hand.
	DefaultArriveWithin = time.Minute
	// DefaultLead is how far past the last arrival the warm-up begins: enough
	// for every member to notice the start (one poll), build its target and be
	// waiting when the instant comes, on any network with sub-100ms round trips.
	DefaultLead = time.Second
	// DefaultPoll is how often a waiting member reads its gathering.
	DefaultPoll = 10 * time.Millisecond
)

// clockSamples is how many TIME round trips a member makes to measure its clock
// offset; the one with the least delay is used.
const clockSamples = 5

// Options tune a Member; zero fields take the defaults above.
type Options struct {
	// ArriveWithin is how long, from the first arrival, a gathering waits for
	// all its members before it fails.
	ArriveWithin time.Duration
	// Lead is the time between the last arrival and the start of the warm-up.
	Lead time.Duration
	// Poll is the interval between a waiting member's reads of its gathering.
	Poll time.Duration
	// Describe names this member in other members' errors; empty means
	// "host/pid".
	Describe string
	// OnWait, when set, is called from Gather with the number of members
	// arrived so far: once after joining and again whenever it changes while
	// waiting, so a terminal can show the wait.
	OnWait func(round, arrived, size int)
}

// Member is one process of a fleet: it gathers with the others before every
// measured cell. A Member is used by one goroutine at a time; its rounds are
// numbered in the order of its Gather calls, so every member must gather for
// the same cells in the same order (which running the same plan does).
type Member struct {
	client goredis.UniversalClient
	fleet  Fleet
	opts   Options
	round  int
}

// NewMember returns a member of f meeting through client, which must stay open
// while the member gathers.
func NewMember(client goredis.UniversalClient, f Fleet, o Options) *Member {
	if o.ArriveWithin <= 0 {
		o.ArriveWithin = DefaultArriveWithin
	}
	if o.Lead <= 0 {
		o.Lead = DefaultLead
	}
	if o.Poll <= 0 {
		o.Poll = DefaultPoll
	}
	if o.Describe == "" {
		host, _ := os.Hostname()
		o.Describe = host + "/" + strconv.Itoa(os.Getpid())
	}
	return &Member{client: client, fleet: f, opts: o}
}

// Window is what a gathering agreed on, as one member sees it.
type Window struct {
	// Fleet and Round say which gathering; ID identifies it.
	Fleet Fleet
	Round int
	ID    string
	// Member is this member's arrival order, from 1.
	Member int
	// Start is when the measured window opens, on this member's clock: what
	// workloads.Spec.StartAt is set to. ServerStart is the same instant on the
	// Redis server's clock, as agreed.
	Start, ServerStart time.Time
	// Duration is the window's length.
	Duration time.Duration
	// ClockOffset is this member's clock minus the server's; ClockError bounds
	// the error of that measurement (half the fastest round trip).
	ClockOffset, ClockError time.Duration
	// Describe is how this member was named to the others.
	Describe string
}

// Error is a gathering that failed: a member missing at the deadline, a member
// about to measure something else, or this member arriving after the start.
// loadgen reports it as bad input (exit 2): the fleet was not started as asked.
type Error struct {
	Fleet Fleet
	Round int
	// Reason says what went wrong, in words.
	Reason string
	// Arrived are the members that had arrived, in order.
	Arrived []string
}

func (e *Error) Error() string {
	s := fmt.Sprintf("fleet %s, round %d: %s", e.Fleet, e.Round, e.Reason)
	if len(e.Arrived) > 0 {
		s += " (arrived: " + strings.Join(e.Arrived, ", ") + ")"
	}
	return s
}

// reply is a gathering script's answer.
type reply struct {
	status, id, start, reason string
	index, arrived            int64
	now                       time.Time
}

// Gather joins the next round of the fleet, waits until every member has
// arrived (or the gathering fails: an *Error), and returns the agreed window:
// its warm-up begins Lead after the last arrival and lasts warmup; the window
// then lasts duration. cell names what the member is about to measure; the
// members of one round must name the same cell. Gather returns ctx.Err() if ctx
// ends first, and the client's error if Redis cannot be reached.
func (m *Member) Gather(ctx context.Context, cell string, warmup, duration time.Duration) (*Window, error) {
	m.round++
	f := m.fleet
	keys := roundKeys(f.Name, m.round)
	offset, clockErr, err := m.clockOffset(ctx, keys[0])
	if err != nil {
		return nil, fmt.Errorf("fleet %s: reading the Redis server's clock: %w", f, err)
	}
	id := rand.Text()[:12]
	raw, err := joinScript.Run(ctx, m.client, keys, m.opts.Describe, f.Size, cell,
		m.opts.ArriveWithin.Microseconds(), (m.opts.Lead + warmup).Microseconds(), id, duration.Microseconds(), m.keep()).Slice()
	if err != nil {
		return nil, fmt.Errorf("fleet %s: joining: %w", f, err)
	}
	r, err := parseReply(raw)
	if err != nil {
		return nil, err
	}
	switch r.status {
	case "failed":
		return nil, m.failure(ctx, keys, r.reason)
	case "late":
		start, _ := parseMicros(r.start)
		return nil, m.failure(ctx, keys, fmt.Sprintf("this member arrived %v after the others had started (at %s)",
			r.now.Sub(start).Round(time.Millisecond), start.UTC().Format(time.RFC3339Nano)))
	}
	w := &Window{Fleet: f, Round: m.round, ID: r.id, Member: int(r.index), Duration: duration,
		ClockOffset: offset, ClockError: clockErr, Describe: m.opts.Describe}
	seen := int64(-1)
	for r.start == "" {
		if m.opts.OnWait != nil && r.arrived != seen {
			seen = r.arrived
			m.opts.OnWait(m.round, int(r.arrived), f.Size)
		}
		t := time.NewTimer(m.opts.Poll)
		select {
		case <-ctx.Done():
			t.Stop()
			m.leave(keys, w.ID)
			return nil, ctx.Err()
		case <-t.C:
		}
		raw, err := pollScript.Run(ctx, m.client, keys, w.ID, m.keep()).Slice()
		if err != nil {
			if ctx.Err() != nil {
				// Interrupted inside the poll's round trip rather than
				// between polls: leave all the same, or the others wait
				// for this member until the deadline.
				m.leave(keys, w.ID)
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("fleet %s: waiting for the others: %w", f, err)
		}
		if r, err = parseReply(raw); err != nil {
			return nil, err
		}
		switch r.status {
		case "failed":
			return nil, m.failure(ctx, keys, r.reason)
		case "gone":
			return nil, &Error{Fleet: f, Round: m.round, Reason: "the gathering vanished from Redis while waiting (expired, flushed, or its server restarted)"}
		}
	}
	if w.ServerStart, err = parseMicros(r.start); err != nil {
		return nil, err
	}
	w.Start = w.ServerStart.Add(offset)
	return w, nil
}

// leave fails the still-open gathering id on this member's way out (best
// effort, bounded: the member is being interrupted).
func (m *Member) leave(keys []string, id string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = leaveScript.Run(ctx, m.client, keys, id, m.keep(), m.opts.Describe+" left before the start (interrupted)").Err()
}

// keep is how long, in ms, a failed gathering stays readable: a hundred polls,
// at least 3 s.
func (m *Member) keep() int64 { return max(3*time.Second, 100*m.opts.Poll).Milliseconds() }

// failure builds the *Error of a failed gathering with the list of arrivals.
func (m *Member) failure(ctx context.Context, keys []string, reason string) error {
	arrived, _ := m.client.LRange(ctx, keys[1], 0, -1).Result()
	return &Error{Fleet: m.fleet, Round: m.round, Reason: reason, Arrived: arrived}
}

// clockOffset measures this host's wall clock minus the server's, over the
// fastest of a few round trips, and half that round trip as its error bound.
func (m *Member) clockOffset(ctx context.Context, key string) (offset, bound time.Duration, err error) {
	best := time.Duration(-1)
	for range clockSamples {
		sent := time.Now()
		v, err := timeScript.Run(ctx, m.client, []string{key}).Slice()
		rtt := time.Since(sent)
		if err != nil {
			return 0, 0, err
		}
		if len(v) != 2 {
			return 0, 0, fmt.Errorf("TIME answered %v", v)
		}
		sec, err1 := toInt(v[0])
		usec, err2 := toInt(v[1])
		if err := errors.Join(err1, err2); err != nil {
			return 0, 0, fmt.Errorf("TIME answered %v: %w", v, err)
		}
		server := time.Unix(sec, usec*1000)
		if best < 0 || rtt < best {
			best = rtt
			offset = sent.Add(rtt / 2).Round(0).Sub(server)
		}
	}
	return offset, best / 2, nil
}

// roundKeys returns the keys of round r of fleet name: one hash tag, one slot.
func roundKeys(name string, r int) []string {
	base := "{syncbench:fleet:" + name + "}:r" + strconv.Itoa(r)
	return []string{base + ":gather", base + ":members"}
}

func parseReply(v []any) (reply, error) {
	if len(v) != 7 {
		return reply{}, fmt.Errorf("fleet: unexpected reply %v from the gathering script", v)
	}
	var r reply
	var ok [4]bool
	r.status, ok[0] = v[0].(string)
	r.id, ok[1] = v[1].(string)
	r.index, _ = v[2].(int64)
	r.arrived, _ = v[3].(int64)
	r.start, ok[2] = v[4].(string)
	now, ok3 := v[5].(string)
	r.reason, ok[3] = v[6].(string)
	if !ok[0] || !ok[1] || !ok[2] || !ok3 || !ok[3] {
		return reply{}, fmt.Errorf("fleet: unexpected reply %v from the gathering script", v)
	}
	var err error
	if r.now, err = parseMicros(now); err != nil {
		return reply{}, err
	}
	return r, nil
}

// parseMicros reads a server time in microseconds since the epoch.
func parseMicros(s string) (time.Time, error) {
	us, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("fleet: server time %q is not a number", s)
	}
	return time.UnixMicro(us), nil
}

func toInt(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case string:
		return strconv.ParseInt(x, 10, 64)
	}
	return 0, fmt.Errorf("%v is not a number", v)
}
