package redis

import (
	"context"
	"errors"
	"fmt"
	"strings"

	goredis "github.com/redis/go-redis/v9"
)

// Topology is what a Redis-backed target found at its endpoint.
type Topology struct {
	// Cluster is set for a Redis Cluster, unset for one standalone server.
	Cluster bool
	// Masters is the number of master nodes serving slots (1 for a standalone
	// server): how many servers the keys are spread over.
	Masters int
	// Replicas is the number of replica nodes of those masters (0 for a
	// standalone server, whose replicas a client does not see).
	Replicas int
}

// String is "standalone" or "cluster of 3 masters, 3 replicas".
func (t Topology) String() string {
	if !t.Cluster {
		return "standalone"
	}
	return fmt.Sprintf("cluster of %d masters, %d replicas", t.Masters, t.Replicas)
}

// stats returns the topology as target stats: "cluster" (1 for a Redis
// Cluster, 0 for a standalone server), "masters" and "replicas".
func (t Topology) stats() map[string]float64 {
	cluster := 0.0
	if t.Cluster {
		cluster = 1
	}
	return map[string]float64{"cluster": cluster, "masters": float64(t.Masters), "replicas": float64(t.Replicas)}
}

// isClusterNode asks a server whether it runs in cluster mode: CLUSTER INFO
// answers on a cluster node and fails with "cluster support disabled" on a
// standalone server. Any other failure (no server, bad password) is returned.
func isClusterNode(ctx context.Context, c *goredis.Client) (bool, error) {
	err := c.ClusterInfo(ctx).Err()
	if err == nil {
		return true, nil
	}
	if strings.Contains(err.Error(), "cluster support disabled") {
		return false, nil
	}
	return false, err
}

// clusterTopology reads the cluster's state and slot map through c: an error
// unless cluster_state is ok and some master serves slots.
func clusterTopology(ctx context.Context, c *goredis.ClusterClient) (Topology, error) {
	info, err := c.ClusterInfo(ctx).Result()
	if err != nil {
		return Topology{}, err
	}
	if !strings.Contains(info, "cluster_state:ok") {
		return Topology{}, errors.New("cluster_state is not ok (a master without a replica is down, or slots are unassigned)")
	}
	//lint:ignore SA1019 CLUSTER SHARDS, its replacement, needs Redis 7.0; CLUSTER SLOTS answers on every version, 6.x included.
	slots, err := c.ClusterSlots(ctx).Result()
	if err != nil {
		return Topology{}, err
	}
	masters, replicas := map[string]bool{}, map[string]bool{}
	for _, s := range slots {
		for i, n := range s.Nodes {
			id := n.ID
			if id == "" {
				id = n.Addr
			}
			if i == 0 {
				masters[id] = true
			} else {
				replicas[id] = true
			}
		}
	}
	if len(masters) == 0 {
		return Topology{}, errors.New("no master serves any slot")
	}
	return Topology{Cluster: true, Masters: len(masters), Replicas: len(replicas)}, nil
}
