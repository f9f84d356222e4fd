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

func TestRemoveAllRemovesTheEmptyDirectoriesMkdirAllMade(t *testing.T) {
	root := t.TempDir()
	existing := filepath.Join(root, "existing")
	if err := os.Mkdir(existing, 0o755); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(existing, "a", "b", "c") // a, a/b and a/b/c are new
	holding := filepath.Join(root, "holding", "d")  // holding and holding/d are new
	for _, d := range []string{empty, holding, existing} {
		if err := MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(holding, "result.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	RemoveAll()
	for _, gone := range []string{filepath.Join(existing, "a")} {
		if _, err := os.Stat(gone); !os.IsNotExist(err) {
			t.Errorf("%s, made by MkdirAll and left empty, survived RemoveAll (err %v)", gone, err)
		}
	}
	for _, kept := range []string{existing, holding, filepath.Join(holding, "result.json")} {
		if _, err := os.Stat(kept); err != nil {
			t.Errorf("%s was removed: it existed before, or holds a file (%v)", kept, err)
		}
	}
	// Forgotten once removed: a directory made again later by someone else
	// is not the tracker's.
	if err := os.MkdirAll(filepath.Join(existing, "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	RemoveAll()
	if _, err := os.Stat(filepath.Join(existing, "a")); err != nil {
		t.Errorf("a second RemoveAll removed a directory MkdirAll did not make this time: %v", err)
	}
}
