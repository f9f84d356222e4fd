package syncbench_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// pinned is a remote action reference by full commit: owner/repo[/path]@<40 hex>.
var pinned = regexp.MustCompile(`^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$`)

// usesOf collects every `uses:` value in a parsed YAML document.
func usesOf(n *yaml.Node, out *[]string) {
	for i := 0; i+1 < len(n.Content); i++ {
		if n.Kind == yaml.MappingNode && i%2 == 0 && n.Content[i].Value == "uses" {
			*out = append(*out, n.Content[i+1].Value)
		}
	}
	for _, c := range n.Content {
		usesOf(c, out)
	}
}

func TestActionsArePinnedByCommit(t *testing.T) {
	files, _ := filepath.Glob(".github/workflows/*.yml")
	files = append(files, "action.yml")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var uses []string
		usesOf(&doc, &uses)
		for _, u := range uses {
			if strings.HasPrefix(u, "./") {
				continue // this repository's own action, at the workflow's commit
			}
			if !pinned.MatchString(u) {
				t.Errorf("%s: %q is not pinned to a commit (owner/repo@<40-hex sha> # tag)", f, u)
			}
		}
	}
}

func TestActionIsACompositeActionKeepingExitCodesApart(t *testing.T) {
	data, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Inputs  map[string]struct{ Default string } `yaml:"inputs"`
		Outputs map[string]struct{ Value string }   `yaml:"outputs"`
		Runs    struct {
			Using string `yaml:"using"`
			Steps []struct {
				Name string `yaml:"name"`
				Run  string `yaml:"run"`
				Uses string `yaml:"uses"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatal(err)
	}
	if action.Runs.Using != "composite" {
		t.Errorf("runs.using = %q, want composite", action.Runs.Using)
	}
	for _, in := range []string{"base", "bench", "package", "threshold", "comment"} {
		if _, ok := action.Inputs[in]; !ok {
			t.Errorf("no input %q", in)
		}
	}
	if _, ok := action.Outputs["exit-code"]; !ok {
		t.Error("no exit-code output")
	}
	var script, verdict string
	for _, s := range action.Runs.Steps {
		if strings.Contains(s.Run, "scripts/regress.sh") {
			script = s.Run
		}
		if s.Name == "Verdict" {
			verdict = s.Run
		}
	}
	// The script is called directly, never through make, which would turn
	// every failure into its own exit 2.
	if script == "" || strings.Contains(script, "make ") {
		t.Errorf("action does not call scripts/regress.sh directly:\n%s", script)
	}
	for _, want := range []string{"exit 3", "exit 2", "exit 1"} {
		if !strings.Contains(verdict, want) {
			t.Errorf("verdict step lacks %q:\n%s", want, verdict)
		}
	}
}
