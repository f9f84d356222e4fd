package cleanup

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

func TestRemoveAllRemovesWhatIsStillTrackedOnly(t *testing.T) {
	dir := t.TempDir()
	kept := filepath.Join(dir, "kept")
	dropped := filepath.Join(dir, "dropped")
	tree := filepath.Join(dir, "tree")
	for _, p := range []string{kept, dropped} {
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(tree, "child"), 0o755); err != nil {
		t.Fatal(err)
	}
	forgetKept := Track(kept)
	Track(dropped)
	Track(tree)
	forgetKept() // committed: no longer temporary
	forgetKept() // twice is harmless
	RemoveAll()
	if _, err := os.Stat(kept); err != nil {
		t.Errorf("a forgotten path was removed: %v", err)
	}
	for _, p := range []string{dropped, tree} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s survived RemoveAll (err %v)", p, err)
		}
	}
	if n := len(Pending()); n != 0 {
		t.Errorf("%d paths still pending after RemoveAll", n)
	}
}

func TestRemoveAllStopsATrackedWriterBeforeRemoving(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// A child that keeps creating files in dir, as a -procs child writing
	// its results does while the parent exits.
	cmd := exec.Command("sh", "-c", `i=0; while :; do i=$((i+1)); : > "$0/f$i" || exit 0; done`, dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waited := make(chan struct{})
	forget := TrackProcess(cmd.Process)
	go func() { cmd.Wait(); forget(); close(waited) }()
	Track(dir)
	for { // the writer is running once its first file is there
		if m, _ := filepath.Glob(filepath.Join(dir, "f*")); len(m) > 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	RemoveAll()
	<-waited
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the writer's directory survived RemoveAll (err %v)", err)
	}
	if cmd.ProcessState == nil || cmd.ProcessState.Success() {
		t.Errorf("the writer was not killed: %v", cmd.ProcessState)
	}
}
