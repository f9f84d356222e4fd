package fleet

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	good := map[string]Fleet{
		"nightly:3":     {"nightly", 3},
		"a.b-c_D9:1":    {"a.b-c_D9", 1},
		"big:1000":      {"big", 1000},
		"x:2":           {"x", 2},
		"ci-run-42:12":  {"ci-run-42", 12},
		"Nightly.v2:64": {"Nightly.v2", 64},
	}
	for in, want := range good {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, err, want)
		}
		if got.String() != in {
			t.Errorf("%v.String() = %q, want %q", got, got.String(), in)
		}
	}
	bad := map[string]string{
		"nightly":      "NAME:N",
		":3":           "name",
		"has space:3":  "name",
		"a{b}:3":       "name",
		"nightly:0":    "size",
		"nightly:-1":   "size",
		"nightly:1001": "size",
		"nightly:x":    "size",
		"n:3:4":        "size",
	}
	for in, want := range bad {
		_, err := Parse(in)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), in) {
			t.Errorf("Parse(%q) error = %v; want one naming the input and the %s", in, err, want)
		}
	}
}
