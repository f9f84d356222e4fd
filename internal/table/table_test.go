package table

import (
	"strings"
	"testing"
)

type row struct {
	name string
	n    int
}

var cols = []Column[row]{
	{Head: "name", Left: true, Cell: func(r row) string { return r.name }},
	{Head: "n", Cell: func(r row) string { return strings.Repeat("#", r.n) }},
}

func TestMarkdownAlignsByColumnAndEscapesCells(t *testing.T) {
	var b strings.Builder
	if err := Markdown(&b, cols, []row{{"a|b", 2}, {"two\nlines", 0}}); err != nil {
		t.Fatal(err)
	}
	want := "| name | n |\n|---|--:|\n| a\\|b | ## |\n| two lines |  |\n"
	if b.String() != want {
		t.Errorf("Markdown wrote\n%q\nwant\n%q", b.String(), want)
	}
}

func TestTextRightAlignsEveryColumn(t *testing.T) {
	var b strings.Builder
	if err := Text(&b, cols, []row{{"x", 3}, {"long", 1}}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("Text wrote %d lines, want 3: %q", len(lines), b.String())
	}
	for _, l := range lines {
		if len(l) != len(lines[0]) {
			t.Errorf("lines differ in width, so the columns are not aligned:\n%s", b.String())
			break
		}
	}
	if !strings.HasSuffix(lines[1], " ###") {
		t.Errorf("row %q: the count column is not right-aligned", lines[1])
	}
}

func TestHeadsAndRowHaveOneEntryPerColumn(t *testing.T) {
	h, r := Heads(cols), Row(cols, row{"z", 1})
	if len(h) != len(cols) || len(r) != len(cols) || h[1] != "n" || r[1] != "#" {
		t.Errorf("Heads = %q, Row = %q", h, r)
	}
}
