package workloads

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestReplay(t *testing.T) {
	t.Run("reads durations, seconds, comments and blank lines", func(t *testing.T) {
		in := "# captured 2024-01-01\n0\n\n1.5ms  # first burst\n0.002\n2ms\n  3s \n"
		a, err := Replay(strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		want := []time.Duration{0, 1500 * time.Microsecond, 2 * time.Millisecond, 2 * time.Millisecond, 3 * time.Second}
		for i, w := range want {
			if got, ok := a.Next(); !ok || got != w {
				t.Errorf("offset %d = %v, %v; want %v", i, got, ok, w)
			}
		}
		if _, ok := a.Next(); ok {
			t.Error("replay went on past the last offset")
		}
		if span := a.(Finite).Span(); span != 3*time.Second {
			t.Errorf("Span = %v, want 3s", span)
		}
	})
	t.Run("reads a file that starts with a UTF-8 byte order mark, with CRLF lines", func(t *testing.T) {
		a, err := Replay(strings.NewReader("\ufeff1ms\r\n2ms\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []time.Duration{time.Millisecond, 2 * time.Millisecond} {
			if got, ok := a.Next(); !ok || got != w {
				t.Errorf("offset = %v, %v; want %v", got, ok, w)
			}
		}
	})
	for _, c := range []struct {
		name, in string
		line     int
		reason   string
	}{
		{"rejects a word", "1ms\n2ms\nsoon\n", 3, `not a Go duration or a number of seconds`},
		{"rejects a byte order mark after the first line", "1ms\n\ufeff2ms\n", 2, `not a Go duration or a number of seconds`},
		{"rejects a decreasing offset", "1ms\n# gap\n\n5ms\n4ms\n", 5, "offset 4ms is before the previous offset 5ms"},
		{"rejects a negative duration", "-1ms\n", 1, "negative"},
		{"rejects negative seconds", "0\n-0.5\n", 2, "negative"},
		{"rejects NaN", "NaN\n", 1, "not a Go duration"},
		{"rejects an offset beyond a Duration", "1e300\n", 1, "too large"},
		{"rejects a file of only comments", "# nothing\n\n", 0, "no offsets"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Replay(strings.NewReader(c.in))
			var re *ReplayError
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not a *ReplayError", err)
			}
			if re.Line != c.line || !strings.Contains(re.Msg, c.reason) {
				t.Errorf("got line %d %q, want line %d containing %q", re.Line, re.Msg, c.line, c.reason)
			}
			// The line's text never reaches the error: the file may be anything.
			if strings.Contains(re.Error(), "soon") || strings.Contains(re.Error(), "NaN") {
				t.Errorf("error %q echoes the file's content", re.Error())
			}
		})
	}
	t.Run("estimates its rate from the offsets around t", func(t *testing.T) {
		var b strings.Builder
		for i := range 2000 { // 1000 ops/s for 2 s
			b.WriteString((time.Duration(i) * time.Millisecond).String() + "\n")
		}
		a, err := Replay(strings.NewReader(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		if got := a.(RateReporter).RateAt(time.Second); got != 1000 {
			t.Errorf("RateAt(1s) = %v, want 1000", got)
		}
		if got, _ := MeanRate(a, 2*time.Second); got != 1000 {
			t.Errorf("MeanRate = %v, want 1000", got)
		}
	})
}
