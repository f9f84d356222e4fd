package cleanup

import (
	"os"
	"path/filepath"
	"testing"
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
