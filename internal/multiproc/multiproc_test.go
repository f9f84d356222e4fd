package multiproc

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls/filelocks"
)

func TestExclusionCheckFailsUnlessTheCountFileMatchesTheAcknowledgedAcquisitions(t *testing.T) {
	tests := []struct {
		name         string
		tally        filelocks.Tally
		acknowledged uint64
		want         string // substring of the error; "" for none
	}{
		{"an exact count without overlaps passes", filelocks.Tally{Acquisitions: 5611}, 5611, ""},
		{"no acquisitions at all passes", filelocks.Tally{}, 0, ""},
		{"a lost increment fails", filelocks.Tally{Acquisitions: 5610}, 5611, "1 increments were lost"},
		{"more increments than acknowledged fail", filelocks.Tally{Acquisitions: 5612}, 5611, "acknowledged only 5611"},
		{"an overlap fails even with an exact count", filelocks.Tally{Acquisitions: 5611, Overlaps: 1}, 5611, "1 critical sections found another holder"},
		{"an overlap and lost increments are both named", filelocks.Tally{Acquisitions: 10, Overlaps: 2}, 12, "another holder inside; the count file holds 10"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checkExclusion(tc.tally, tc.acknowledged)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected violation: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// writeScript writes an executable shell script standing in for a child loadgen,
// to make a child exit the way a test needs.
func writeScript(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "child.sh")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAChildIgnoringSIGINTIsKilledAfterTheGrace(t *testing.T) {
	saved := childKillGrace
	childKillGrace = 200 * time.Millisecond
	t.Cleanup(func() { childKillGrace = saved })
	// The script ignores SIGINT and so does the sleep it starts.
	script := writeScript(t, `trap "" INT; sleep 30`)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	done := make(chan []*childProc, 1)
	go func() {
		children, err := runChildren(ctx, script, [][]string{nil, nil}, []string{"", ""}, nil)
		if err != nil {
			t.Error(err)
		}
		done <- children
	}()
	select {
	case children := <-done:
		for _, c := range children {
			if c.code != -1 {
				t.Errorf("child %d exited %d, want killed (-1)", c.index, c.code)
			}
		}
	case <-time.After(10 * time.Second):
		t.Fatal("runChildren did not return: a child that ignores SIGINT was left running")
	}
}
