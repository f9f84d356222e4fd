//go:build linux

package filelocks

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncbench/syncbench/impls"
)

// treeOf lists root's entries with their contents, for before/after checks.
func treeOf(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		b.WriteString(path + " " + info.Mode().String())
		if info.Mode().IsRegular() {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			b.Write(data)
		}
		b.WriteString("\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestNewRefusesALockFileThatWouldCostTheUserAFile(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, root string) (lockFile string)
		want  string
	}{
		{"a user's file named like the count file", func(t *testing.T, root string) string {
			// 32 bytes, the size of a count file: the size says nothing.
			os.WriteFile(filepath.Join(root, "data.count"), bytes.Repeat([]byte("u"), tallySize), 0o644)
			return filepath.Join(root, "data")
		}, "data.count does not start with the count file header"},
		{"a directory named like the count file", func(t *testing.T, root string) string {
			os.Mkdir(filepath.Join(root, "data.count"), 0o755)
			return filepath.Join(root, "data")
		}, "data.count is not a regular file"},
		{"a directory as the lock file", func(t *testing.T, root string) string {
			os.Mkdir(filepath.Join(root, "dir"), 0o755)
			return filepath.Join(root, "dir")
		}, "is a directory"},
		{"a FIFO as the lock file", func(t *testing.T, root string) string {
			syscall.Mkfifo(filepath.Join(root, "fifo"), 0o644)
			return filepath.Join(root, "fifo")
		}, "is not a regular file but a FIFO"},
	} {
		for _, kind := range kinds {
			t.Run(kind+": "+tc.name, func(t *testing.T) {
				root := t.TempDir()
				lockFile := tc.setup(t, root)
				before := treeOf(t, root)
				target, err := New(kind, impls.Config{Workers: 2, LockFile: lockFile})
				if err == nil {
					target.Do(context.Background(), impls.Op{Kind: impls.OpWrite})
					target.Close()
					t.Fatalf("New accepted %s", lockFile)
				}
				if !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("error %q, want it to contain %q", err, tc.want)
				}
				if after := treeOf(t, root); after != before {
					t.Fatalf("a refused lock file changed the directory:\nbefore %s\nafter  %s", before, after)
				}
				if err := ResetTally(lockFile); err == nil {
					t.Fatal("ResetTally accepted it")
				}
				if after := treeOf(t, root); after != before {
					t.Fatalf("a refused ResetTally changed the directory:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
	}
}

func TestNewRefusesADeviceAsTheLockFile(t *testing.T) {
	// As root, the old code created /dev/null.count; whoever made one here
	// removes it.
	if _, err := os.Lstat("/dev/null.count"); err == nil {
		t.Fatal("/dev/null.count exists before the test")
	}
	t.Cleanup(func() { os.Remove("/dev/null.count") })
	target, err := New(KindFlock, impls.Config{Workers: 1, LockFile: "/dev/null"})
	if err == nil {
		target.Close()
		t.Fatal("New accepted /dev/null")
	}
	if !strings.Contains(err.Error(), "lock file /dev/null is not a regular file but a character device") {
		t.Fatalf("error %q", err)
	}
	if _, err := os.Lstat("/dev/null.count"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("/dev/null.count was created (%v)", err)
	}
}

func TestATargetThatNeverRanLeavesNoFile(t *testing.T) {
	// The command line builds every target once to check its configuration:
	// a refused run must not leave the lock and count files behind.
	for _, kind := range kinds {
		root := t.TempDir()
		lockFile := filepath.Join(root, "lk")
		target, err := New(kind, impls.Config{Workers: 2, LockFile: lockFile})
		if err != nil {
			t.Fatal(err)
		}
		if err := target.Close(); err != nil {
			t.Fatal(err)
		}
		if entries, _ := os.ReadDir(root); len(entries) != 0 {
			t.Fatalf("%s: an unused target left %v", kind, entries)
		}
	}
}

func TestACountFileOfAnEarlierRunIsReused(t *testing.T) {
	// The count file of a given lock file is left for inspection; the next
	// run on the same lock file must accept it, and an existing lock file's
	// content is never changed by locking it.
	root := t.TempDir()
	lockFile := filepath.Join(root, "data")
	if err := os.WriteFile(lockFile, []byte("the user's data"), 0o644); err != nil {
		t.Fatal(err)
	}
	for run := 1; run <= 2; run++ {
		target, err := New(KindOFD, impls.Config{Workers: 1, LockFile: lockFile})
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		target.Do(context.Background(), impls.Op{Kind: impls.OpWrite})
		if err := target.Verify(); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		target.Close()
		if got, err := ReadTally(lockFile); err != nil || got.Acquisitions != uint64(run) {
			t.Fatalf("run %d: tally %+v, %v", run, got, err)
		}
	}
	if data, _ := os.ReadFile(lockFile); string(data) != "the user's data" {
		t.Fatalf("the lock file's content changed: %q", data)
	}
}
