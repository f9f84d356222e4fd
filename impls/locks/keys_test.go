package locks

import (
	"fmt"
	"testing"

	"github.com/syncbench/syncbench/impls"
)

func TestKeySpace(t *testing.T) {
	tests := []struct {
		keys   int
		opKey  uint64
		want   uint64
		reason string
	}{
		{0, 7, 7, "zero keys means the default key space, so ops use their own key"},
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

func TestMapsDefaultToAThousandFilledKeys(t *testing.T) {
	for _, name := range []string{"map-mutex", "map-rwmutex", "map-sync", "map-xsync"} {
		t.Run(name+" registers DefaultMapKeys and fills that many with Keys 0", func(t *testing.T) {
			impl, ok := impls.Lookup(name)
			if !ok {
				t.Fatalf("%s is not registered", name)
			}
			if impl.DefaultKeys != DefaultMapKeys {
				t.Errorf("DefaultKeys = %d, want %d", impl.DefaultKeys, DefaultMapKeys)
			}
			tg, err := impl.New(impls.Config{Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			defer tg.Close()
			stats := tg.(impls.StatsReporter).Stats()
			if got := stats["entries_filled"]; got != DefaultMapKeys {
				t.Errorf("entries_filled = %v, want %d", got, DefaultMapKeys)
			}
		})
	}
	t.Run("an unkeyed lock declares no default keys", func(t *testing.T) {
		impl, _ := impls.Lookup("mutex")
		if impl.DefaultKeys != 0 {
			t.Errorf("mutex DefaultKeys = %d, want 0", impl.DefaultKeys)
		}
	})
}
