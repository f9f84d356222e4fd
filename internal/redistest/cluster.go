package redistest

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// cliBinary is the redis-cli executable that creates clusters; a variable for
// the same reason as binary.
var cliBinary = "redis-cli"

// clusterReadyTimeout bounds how long StartCluster and WaitHealthy wait for
// every node to agree that the cluster is ok.
const clusterReadyTimeout = 30 * time.Second

// NodeTimeout is the cluster-node-timeout of the nodes StartCluster starts: a
// master unreachable for this long is marked failed by the others, and its
// replica (if any) starts a failover; a restarted master waits about as long
// before it serves again. Short, so fault tests stay short, but not so short
// that a node stalled by a loaded test machine (the race detector, parallel
// packages) is taken for dead: at 1 s, healthy clusters flapped here.
const NodeTimeout = 2 * time.Second

// clusterArgs are the extra redis-server flags of a cluster node whose bus
// listens on busPort. cluster-require-full-coverage is off so that, as in a
// production cluster configured for availability, the masters left serve their
// slots while one master without a replica is down; with it on, one dead master
// would stop the whole cluster.
func clusterArgs(busPort int) []string {
	return []string{
		"--cluster-enabled", "yes",
		"--cluster-config-file", "nodes.conf",
		"--cluster-node-timeout", strconv.Itoa(int(NodeTimeout.Milliseconds())),
		"--cluster-port", strconv.Itoa(busPort),
		"--cluster-require-full-coverage", "no",
	}
}

// Cluster is a Redis Cluster of real redis-server processes owned by a test,
// on free loopback ports, stopped when the test ends. Nodes restarted with
// Restart keep their node identity and slots (their nodes.conf survives) but
// no data. Its methods are safe for concurrent use.
type Cluster struct {
	t testing.TB
	// Nodes are every node, in the order they were created: the first Masters
	// were made masters by redis-cli, the rest their replicas (roles change
	// after a failover; see MasterOf).
	Nodes []*Server
	// Masters is the number of masters the cluster was created with.
	Masters int
}

// StartCluster starts masters × (1 + replicas) cluster nodes, joins them into
// one cluster with redis-cli --cluster create (masters share the 16384 slots,
// replicas follow them), and waits until every node reports cluster_state:ok
// and knows every other. Without redis-server or redis-cli on PATH it skips the
// test, or fails it under CI=true, as Start does.
func StartCluster(t testing.TB, masters, replicas int) *Cluster {
	t.Helper()
	if masters < 3 {
		t.Fatalf("redistest: a Redis Cluster needs at least 3 masters, not %d", masters)
	}
	path, err := exec.LookPath(binary)
	if err != nil {
		missingBinary(t, binary, err)
		return nil
	}
	cli, err := exec.LookPath(cliBinary)
	if err != nil {
		missingBinary(t, cliBinary, err)
		return nil
	}
	c := &Cluster{t: t, Masters: masters}
	for range masters * (1 + replicas) {
		s, err := startServer(t, path, true)
		if err != nil {
			t.Fatalf("redistest: cluster node: %v", err)
		}
		c.Nodes = append(c.Nodes, s)
	}
	args := []string{"--cluster", "create"}
	args = append(args, c.Addrs()...)
	args = append(args, "--cluster-replicas", strconv.Itoa(replicas), "--cluster-yes")
	ctx, cancel := context.WithTimeout(context.Background(), clusterReadyTimeout)
	defer cancel()
	if out, err := exec.CommandContext(ctx, cli, args...).CombinedOutput(); err != nil {
		t.Fatalf("redistest: %s %s: %v: %s", cli, strings.Join(args, " "), err, lastLines(string(out)))
	}
	c.WaitHealthy()
	return c
}

// Addrs returns every node's host:port.
func (c *Cluster) Addrs() []string {
	out := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		out[i] = n.Addr()
	}
	return out
}

// Seeds returns the nodes' addresses as a comma list, as loadgen's -redis takes
// them.
func (c *Cluster) Seeds() string { return strings.Join(c.Addrs(), ",") }

// WaitHealthy waits until every running node reports cluster_state:ok, all
// 16384 slots served, and as many known nodes as the cluster has, and every
// replica's link to its master is up; it fails the test after a few seconds.
func (c *Cluster) WaitHealthy() {
	c.t.Helper()
	deadline := time.Now().Add(clusterReadyTimeout)
	var last string
	for time.Now().Before(deadline) {
		if last = c.unhealthy(); last == "" {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.t.Fatalf("redistest: cluster not healthy within %v: %s", clusterReadyTimeout, last)
}

// unhealthy returns why the cluster is not yet healthy, or "".
func (c *Cluster) unhealthy() string {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	for _, n := range c.Nodes {
		client := goredis.NewClient(&goredis.Options{Addr: n.Addr(), MaxRetries: -1})
		info, err := client.ClusterInfo(ctx).Result()
		var repl string
		if err == nil {
			repl, err = client.Info(ctx, "replication").Result()
		}
		_ = client.Close()
		if err != nil {
			return n.Addr() + ": " + err.Error()
		}
		for _, want := range []string{
			"cluster_state:ok",
			"cluster_slots_ok:16384",
			"cluster_known_nodes:" + strconv.Itoa(len(c.Nodes)),
		} {
			if !strings.Contains(info, want) {
				return n.Addr() + ": no " + want
			}
		}
		if strings.Contains(repl, "role:slave") && !strings.Contains(repl, "master_link_status:up") {
			return n.Addr() + ": replica not yet linked to its master"
		}
	}
	return ""
}

// WaitServing waits until node n itself reports cluster_state:ok, the point
// from which a restarted master serves its slots again (the other nodes may
// still mark it failed for a while: that does not stop clients reaching it),
// and fails the test after a few seconds.
func (c *Cluster) WaitServing(n *Server) {
	c.t.Helper()
	deadline := time.Now().Add(clusterReadyTimeout)
	client := goredis.NewClient(&goredis.Options{Addr: n.Addr(), MaxRetries: -1})
	defer client.Close()
	var last string
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		info, err := client.ClusterInfo(ctx).Result()
		cancel()
		if err == nil && strings.Contains(info, "cluster_state:ok") {
			return
		}
		last = fmt.Sprint(err, " ", info)
		time.Sleep(20 * time.Millisecond)
	}
	c.t.Fatalf("redistest: node %s not serving within %v: %s", n.Addr(), clusterReadyTimeout, lastLines(last))
}

// MasterOf returns the node currently serving key's slot, as the cluster's
// slot map says (asked of the first node that answers).
func (c *Cluster) MasterOf(key string) *Server {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, n := range c.Nodes {
		client := goredis.NewClient(&goredis.Options{Addr: n.Addr(), MaxRetries: -1})
		slot, err := client.ClusterKeySlot(ctx, key).Result()
		var slots []goredis.ClusterSlot
		if err == nil {
			//lint:ignore SA1019 CLUSTER SHARDS, its replacement, needs Redis 7.0; CLUSTER SLOTS answers on every version, 6.x included.
			slots, err = client.ClusterSlots(ctx).Result()
		}
		_ = client.Close()
		if err != nil {
			continue
		}
		for _, s := range slots {
			if int64(s.Start) <= slot && slot <= int64(s.End) && len(s.Nodes) > 0 {
				for _, node := range c.Nodes {
					if node.Addr() == s.Nodes[0].Addr {
						return node
					}
				}
			}
		}
	}
	c.t.Fatalf("redistest: no node of the cluster knows which master serves %q", key)
	return nil
}

// lastLines returns the last few lines of a command's output.
func lastLines(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return strings.Join(lines, " | ")
}
