package metrics

import (
	"os"
	"testing"
)

func TestParseRunDelayReadsTheSecondField(t *testing.T) {
	for _, tc := range []struct {
		line string
		want int64
		ok   bool
	}{
		{"12345 678 9\n", 678, true},
		{"1 0 1", 0, true},
		{"12345", 0, false},
		{"a b c", 0, false},
		{"1 -5 2", 0, false},
	} {
		got, ok := parseRunDelay(tc.line)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRunDelay(%q) = %d, %v; want %d, %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}
}

func TestRunQueueWaitNsReadsThisProcess(t *testing.T) {
	// A kernel with schedstats shows them for the process too; one without
	// says so with −1 rather than a zero.
	_, err := os.ReadFile("/proc/self/schedstat")
	ns := RunQueueWaitNs()
	if (err == nil) != (ns >= 0) || ns < -1 {
		t.Errorf("RunQueueWaitNs() = %d with /proc/self/schedstat readable: %v", ns, err == nil)
	}
}
