package forks

import (
	"fmt"
	"strconv"
	"strings"
)

// Role is a process's place among a run's forks: fork Fork of Of. A process
// that is not a fork (a single-process run) is fork 1 of 1.
type Role struct {
	Fork, Of int
}

// Single is the role of a run in one process.
var Single = Role{Fork: 1, Of: 1}

// String spells the role as the hidden -fork flag takes it: "3/6".
func (r Role) String() string { return fmt.Sprintf("%d/%d", r.Fork, r.Of) }

// ParseRole parses "K/N" with 1 ≤ K ≤ N.
func ParseRole(s string) (Role, error) {
	k, n, ok := strings.Cut(s, "/")
	fork, err1 := strconv.Atoi(k)
	of, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || fork < 1 || fork > of {
		return Role{}, fmt.Errorf("-fork %q is not K/N with 1 ≤ K ≤ N", s)
	}
	return Role{Fork: fork, Of: of}, nil
}

// Rotate returns cells in the order fork r.Fork runs them: rotated left by
// r.Fork − 1, so over r.Of forks each cell takes each position in turn (as
// often as the counts allow). It returns a new slice; cells is not modified.
func Rotate[T any](cells []T, r Role) []T {
	n := len(cells)
	out := make([]T, 0, n)
	if n == 0 {
		return out
	}
	shift := (r.Fork - 1) % n
	out = append(out, cells[shift:]...)
	return append(out, cells[:shift]...)
}
