package cli

import (
	"runtime"
	"strings"
	"testing"
)

func TestBareLoadgenPrintsUsageAndRunsNothing(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runCLI(t)
	if code != ExitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{"loadgen -impl tokenbucket -rps 5000", "loadgen help", "loadgen version"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("usage lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "harness floor") || strings.Contains(stdout, "p99") {
		t.Errorf("bare loadgen ran load:\n%s", stdout)
	}
}

func TestVersionVerbAndFlag(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		code, stdout, stderr := runCLI(t, args...)
		if code != ExitOK || !strings.HasPrefix(stdout, "loadgen ") || !strings.Contains(stdout, runtime.Version()) || !strings.Contains(stdout, "(commit ") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if code, _, _ := runCLI(t, "version", "extra"); code != ExitBadInput {
		t.Errorf("version with an argument exits %d, want %d", code, ExitBadInput)
	}
}

func TestHelpForEveryVerb(t *testing.T) {
	t.Parallel()
	for _, verb := range append(subcommandNames(), "run") {
		t.Run(verb, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "help", verb)
			if code != ExitOK || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			want := "usage: loadgen " + verb
			if verb == "run" {
				want = "loadgen [flags]"
			}
			if !strings.Contains(stdout, want) {
				t.Errorf("help %s does not show %q:\n%s", verb, want, stdout)
			}
		})
	}
	code, _, stderr := runCLI(t, "help", "reprot")
	if code != ExitBadInput || !strings.Contains(stderr, "did you mean report?") {
		t.Errorf("help on a misspelt verb: exit %d, stderr %q", code, stderr)
	}
}

func TestTyposGetTheClosestName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-imp", "mutex"}, "unknown flag -imp; did you mean -impl?"},
		{[]string{"--imp", "mutex"}, "unknown flag --imp; did you mean -impl?"},
		{[]string{"-impl", "mutex", "-duraton", "1s"}, "unknown flag -duraton; did you mean -duration?"},
		{[]string{"-concurency=4"}, "did you mean -concurrency?"},
		{[]string{"reprot", "results/"}, `unknown command "reprot"; did you mean report?`},
		{[]string{"export", "-formt", "csv", "x"}, "unknown flag -formt; did you mean -format?"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCLI(t, tt.args...)
		if code != ExitBadInput || !strings.Contains(stderr, tt.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q (stdout %q), want exit 2 and one line containing %q", tt.args, code, stderr, stdout, tt.want)
		}
	}
	// A value that starts with a dash is a value, not a flag.
	if err := unknownFlagError(newRunFlagSet(&runFlags{}), []string{"-impl", "-weird-name"}); err != nil {
		t.Errorf("a flag's value was taken for a flag: %v", err)
	}
}

func TestEveryVerbWritingAFileTakesOutAndO(t *testing.T) {
	t.Parallel()
	for _, verb := range []string{"compare", "export", "merge", "report"} {
		code, stdout, _ := runCLI(t, "help", verb)
		if code != ExitOK || !strings.Contains(stdout, "-o, --out") {
			t.Errorf("%s does not take -o/--out:\n%s", verb, stdout)
		}
	}
	var f runFlags
	if fl := newRunFlagSet(&f).ShorthandLookup("o"); fl == nil || fl.Name != "out" {
		t.Errorf("the run command has no -o alias of -out")
	}
}
