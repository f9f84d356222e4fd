package fleet

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxSize is the largest fleet -fleet accepts; far more members than any
// benchmark needs, small enough that a typo (NAME:1000000) is caught.
const MaxSize = 1000

// Fleet names a fleet and its size.
type Fleet struct {
	// Name identifies the fleet at its Redis server: letters, digits and
	// ".-_", at most 64.
	Name string
	// Size is how many members must gather, 1 to MaxSize.
	Size int
}

// String returns "NAME:N", the form Parse reads.
func (f Fleet) String() string { return f.Name + ":" + strconv.Itoa(f.Size) }

// Parse reads "NAME:N". Errors name the bad part and what is allowed.
func Parse(s string) (Fleet, error) {
	name, n, ok := strings.Cut(s, ":")
	if !ok {
		return Fleet{}, fmt.Errorf("fleet %q: want NAME:N, e.g. nightly:3", s)
	}
	if name == "" || len(name) > 64 || strings.IndexFunc(name, badNameRune) >= 0 {
		return Fleet{}, fmt.Errorf("fleet %q: name %q: want 1 to 64 letters, digits, '.', '-' or '_'", s, name)
	}
	size, err := strconv.Atoi(n)
	if err != nil || size < 1 || size > MaxSize {
		return Fleet{}, fmt.Errorf("fleet %q: size %q: want a number from 1 to %d", s, n, MaxSize)
	}
	return Fleet{Name: name, Size: size}, nil
}

func badNameRune(r rune) bool {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '.', r == '-', r == '_':
		return false
	}
	return true
}
