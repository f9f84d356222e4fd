package locks

import (
	"fmt"
	"testing"
)

func TestKeySpace(t *testing.T) {
	tests := []struct {
		keys   int
		opKey  uint64
		want   uint64
		reason string
	}{
		{0, 7, 0, "zero keys means one key, so every op uses key 0"},
		{1, 7, 0, "one key means every op uses key 0"},
		{16, 7, 7, "several keys use the op's key"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("Keys=%d: %s", tt.keys, tt.reason), func(t *testing.T) {
			if got := newKeySpace(tt.keys).of(tt.opKey); got != tt.want {
				t.Errorf("key of op.Key %d = %d, want %d", tt.opKey, got, tt.want)
			}
		})
	}
}
