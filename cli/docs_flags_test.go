package cli

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// helpFlagLine matches a flag line of pflag's usage text, as `loadgen help` and
// `loadgen help VERB` print it: "  -o, --out string   ..." or "      --impl string ...".
var helpFlagLine = regexp.MustCompile(`^\s+(?:-([A-Za-z0-9]), )?--([a-z0-9][a-z0-9-]*)`)

// helpFlags returns the flags (long names and shorthands) that `loadgen help
// [VERB]` lists; verb "run" is the run command.
func helpFlags(t *testing.T, verb string) []string {
	t.Helper()
	args := []string{"help"}
	if verb != "run" {
		args = append(args, verb)
	}
	code, stdout, stderr := runVerb(t, args...)
	if code != ExitOK {
		t.Fatalf("loadgen %s: exit %d, stderr %q", strings.Join(args, " "), code, stderr)
	}
	var flags []string
	for line := range strings.SplitSeq(stdout, "\n") {
		m := helpFlagLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if m[1] != "" {
			flags = append(flags, m[1])
		}
		flags = append(flags, m[2])
	}
	return flags
}

// flagTableRow is one row of a flag table in the documentation.
type flagTableRow struct {
	verb  string   // the verb the table documents; "run" for the run command
	flags []string // the flag names in its first cell, without dashes
	where string   // file:line
}

var (
	// tableFlag matches a flag at the start of a code span: `-impl`, `--out`, `-out DIR`.
	tableFlag = regexp.MustCompile("`--?([A-Za-z0-9][A-Za-z0-9-]*)")
	// headingVerb finds the verb a heading is about: "## `loadgen compare`".
	headingVerb = regexp.MustCompile("`loadgen ([a-z]+)")
)

// docFlagTables reads the flag tables of the README and docs/*.md: markdown
// tables whose first column is headed "flag". A table documents the verb named
// as `loadgen VERB` in the nearest heading above it, else the run command.
func docFlagTables(t *testing.T) []flagTableRow {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join("..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []flagTableRow
	for _, path := range append([]string{filepath.Join("..", "README.md")}, docs...) {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		verb, inCode, inTable := "run", false, false
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "```"):
				inCode = !inCode
				continue
			case inCode:
				continue
			case strings.HasPrefix(line, "#"):
				verb = "run"
				if m := headingVerb.FindStringSubmatch(line); m != nil {
					if _, ok := subcommands[m[1]]; ok {
						verb = m[1]
					}
				}
			}
			if !strings.HasPrefix(line, "|") {
				inTable = false
				continue
			}
			cells := strings.Split(line, "|")
			first := strings.TrimSpace(cells[1])
			if !inTable {
				inTable = strings.EqualFold(first, "flag")
				continue
			}
			if strings.Trim(first, "-: ") == "" {
				continue // the separator row
			}
			row := flagTableRow{verb: verb, where: fmt.Sprintf("%s:%d", path, n)}
			for _, m := range tableFlag.FindAllStringSubmatch(first, -1) {
				row.flags = append(row.flags, m[1])
			}
			rows = append(rows, row)
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return rows
}

// documented returns, per verb, the flags the documentation's tables name.
func documented(rows []flagTableRow) map[string][]string {
	m := map[string][]string{}
	for _, r := range rows {
		m[r.verb] = append(m[r.verb], r.flags...)
	}
	return m
}

func verbsWithRun() []string { return append([]string{"run"}, subcommandNames()...) }

func TestEveryFlagTheHelpListsHasARowInAFlagTable(t *testing.T) {
	t.Parallel()
	docs := documented(docFlagTables(t))
	for _, verb := range verbsWithRun() {
		t.Run(verb, func(t *testing.T) {
			for _, flag := range helpFlags(t, verb) {
				if !slices.Contains(docs[verb], flag) {
					t.Errorf("loadgen help %s lists -%s, but no flag table for %s in README.md or docs/*.md has a row for it", verb, flag, verb)
				}
			}
		})
	}
}

func TestEveryFlagTableRowNamesAFlagTheHelpLists(t *testing.T) {
	t.Parallel()
	listed := map[string][]string{}
	for _, verb := range verbsWithRun() {
		listed[verb] = helpFlags(t, verb)
	}
	for _, row := range docFlagTables(t) {
		if len(row.flags) == 0 {
			t.Errorf("%s: a flag table row names no `-flag` in its first cell", row.where)
		}
		for _, flag := range row.flags {
			if !slices.Contains(listed[row.verb], flag) {
				t.Errorf("%s: the flag table for %s has a row for -%s, which loadgen help %s does not list", row.where, row.verb, flag, row.verb)
			}
		}
	}
}

// TestTheFlagCheckSeesTheFlagsAndTables guards the two tests above against
// passing by reading nothing: a change to the help's layout or the tables' that
// the parsers no longer recognise must fail here, not silently pass there.
func TestTheFlagCheckSeesTheFlagsAndTables(t *testing.T) {
	t.Parallel()
	if run := helpFlags(t, "run"); !slices.Contains(run, "impl") || !slices.Contains(run, "o") || len(run) < 40 {
		t.Errorf("loadgen help: parsed %d flags %v; want -impl, -o and every other run flag", len(run), run)
	}
	if cmp := helpFlags(t, "compare"); !slices.Contains(cmp, "threshold") {
		t.Errorf("loadgen help compare: parsed %v; want -threshold among them", cmp)
	}
	docs := documented(docFlagTables(t))
	for _, verb := range verbsWithRun() {
		if len(helpFlags(t, verb)) > 0 && len(docs[verb]) == 0 {
			t.Errorf("no flag table documents %s (want a table headed `| flag |` under a heading naming `loadgen %s`)", verb, verb)
		}
	}
}
