package backend

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func mustTrack(t *testing.T, name, text string) Track {
	t.Helper()
	tr, err := ParseTrack(name, "-backend-"+name, text)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestTrackAt(t *testing.T) {
	tr := mustTrack(t, "capacity", "16x3s,16..4x2s,4x1s,8")
	for _, c := range []struct {
		at   time.Duration
		want float64
	}{
		{-time.Second, 16}, {0, 16}, {2999 * time.Millisecond, 16}, {3 * time.Second, 16},
		{4 * time.Second, 10}, {4500 * time.Millisecond, 7}, {5 * time.Second, 4},
		{5999 * time.Millisecond, 4}, {6 * time.Second, 8}, {time.Hour, 8},
	} {
		if got := tr.At(c.at); got != c.want {
			t.Errorf("At(%v) = %v, want %v", c.at, got, c.want)
		}
	}
	if got := mustTrack(t, "capacity", "2x1s,3x1s").At(5 * time.Second); got != 3 {
		t.Errorf("after the last stage the value holds: got %v, want 3", got)
	}
}

func TestNextIntChangeFollowsARampsHalfCrossings(t *testing.T) {
	// 4 → 8 over 4 s: the rounded value changes at 4.5, 5.5, 6.5, 7.5, i.e.
	// 0.5 s, 1.5 s, 2.5 s, 3.5 s into the ramp, then at the ramp's end.
	tr := mustTrack(t, "capacity", "4x1s,4..8x4s,8")
	var got []time.Duration
	for at := time.Duration(0); at != Forever; at = tr.NextIntChange(at) {
		got = append(got, at)
	}
	want := []time.Duration{0, 1 * time.Second, 1500 * time.Millisecond, 2500 * time.Millisecond, 3500 * time.Millisecond, 4500 * time.Millisecond, 5 * time.Second}
	if len(got) != len(want) {
		t.Fatalf("change instants %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("change instants %v, want %v", got, want)
		}
	}
}

func TestAboveFindsFailingSpans(t *testing.T) {
	tr := mustTrack(t, "failure", "0x3s,1x4s,0.2x1s,0..1x2s,1")
	spans := tr.Above(FailingLine)
	want := []Span{{3 * time.Second, 7 * time.Second}, {9 * time.Second, Forever}}
	if len(spans) != len(want) || spans[0] != want[0] || spans[1] != want[1] {
		t.Fatalf("Above(0.5) = %v, want %v", spans, want)
	}
}

func TestCapacitySteps(t *testing.T) {
	s := Schedule{Capacity: mustTrack(t, "capacity", "16x3s,4x4s,4..16x1s,20x1s,20")}
	steps := s.CapacitySteps()
	want := []Step{{At: 3 * time.Second, From: 16, To: 4}, {At: 8 * time.Second, From: 16, To: 20}}
	if len(steps) != len(want) || steps[0] != want[0] || steps[1] != want[1] {
		t.Fatalf("steps %v, want %v", steps, want)
	}
}

func TestSpecRoundTrips(t *testing.T) {
	for _, spec := range []string{
		"capacity=16x3s,4x4s,16;service=10ms;failure=0x3s,1x4s,0;dist=uniform",
		"capacity=16..4x2s,4",
		"service=10msx1s,10ms..40msx2s,40ms;failure=0.25",
		"",
	} {
		s, err := ParseSpec(spec)
		if err != nil {
			t.Fatalf("ParseSpec(%q): %v", spec, err)
		}
		if got := s.String(); got != spec {
			t.Errorf("ParseSpec(%q).String() = %q", spec, got)
		}
	}
	s, err := ParseSpec("failure=50%x1s,0")
	if err != nil || s.Failure.Stages[0].From != 0.5 {
		t.Fatalf("a percentage reads as a fraction: %+v, %v", s.Failure, err)
	}
}

func TestParseTrackRejects(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"capacity", "", "is empty"},
		{"capacity", "0x1s", "out of range"},
		{"capacity", "4.5", "not a whole number"},
		{"capacity", "16,4x1s", "stage 1 \"16\": missing xDURATION"},
		{"capacity", "16x0s", "not a positive Go duration"},
		{"capacity", "16x1s,4..8", "a ramp needs xDURATION"},
		{"service", "10", "not a Go duration"},
		{"service", "-1ms", "out of range"},
		{"failure", "1.5", "outside [0, 1]"},
		{"failure", "half%", "not a percentage"},
	} {
		_, err := ParseTrack(c.name, "-backend-"+c.name, c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "-backend-"+c.name) {
			t.Errorf("ParseTrack(%s, %q) = %v, want an error naming the flag and %q", c.name, c.text, err, c.want)
		}
	}
	if _, err := ParseSpec("capacity=4;speed=1"); err == nil || !strings.Contains(err.Error(), `unknown part "speed"`) {
		t.Errorf("unknown spec part: %v", err)
	}
	if _, err := ParseSpec("dist=normal"); err == nil || !strings.Contains(err.Error(), "uniform, const, exp") {
		t.Errorf("unknown dist: %v", err)
	}
}

func TestOverFillsUnsetTracks(t *testing.T) {
	def, _ := ParseSpec("capacity=16;service=10ms;failure=0;dist=uniform")
	user, _ := ParseSpec("capacity=16x1s,4")
	s := user.Over(def)
	if s.String() != "capacity=16x1s,4;service=10ms;failure=0;dist=uniform" {
		t.Fatalf("Over: %s", s)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := user.Validate(); err == nil || !strings.Contains(err.Error(), "service is not set") {
		t.Fatalf("Validate of a partial schedule: %v", err)
	}
}

func TestParseFile(t *testing.T) {
	data := `description: brownout
dist: const
phases:
  - name: healthy
    duration: 3s
    capacity: 16
    service: 10ms
    failure: 0
  - name: brownout
    duration: 2s
    ramp: true
    capacity: 4
    failure: 20%
  - name: outage
    duration: 1s
    failure: 1
  - capacity: 16
    service: 10ms
    failure: 0
`
	s, err := ParseFile("b.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	want := "capacity=16x3s,16..4x2s,4x1s,16;service=10msx3s,10msx2s,10msx1s,10ms;failure=0x3s,0..0.2x2s,1x1s,0;dist=const"
	if s.String() != want {
		t.Fatalf("parsed\n %s\nwant\n %s", s, want)
	}
}

func TestParseFileErrorsCarryPositions(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{"", "b.yaml:1:1: empty backend schedule"},
		{"phases: [", "b.yaml:1:1: not valid YAML"},
		{"phase: []", `b.yaml:1:1: unknown key "phase"`},
		{"phases:\n  - duration: 1s\n    capacity: 0\n", "b.yaml:3:15: capacity: capacity 0 is out of range"},
		{"phases:\n  - duration: 1s\n    capacity: 4\n  - capacity: 8\n  - capacity: 2\n", "b.yaml:4:5: phase 2 has no duration"},
		{"phases:\n  - duration: 1s\n    capacity: 4\n  - duration: 1s\n    failure: 1\n", "b.yaml:4:5: phase 2 sets failure, which phase 1 does not"},
		{"phases:\n  - duration: 1s\n    ramp: true\n    capacity: 4\n", "b.yaml:2:5: phase 1 ramps"},
		{"dist: normal\nphases:\n  - capacity: 4\n", "b.yaml:1:7: unknown service-time distribution"},
		{"phases:\n  - duration: soon\n", `b.yaml:2:15: duration "soon"`},
	} {
		_, err := ParseFile("b.yaml", []byte(c.data))
		var se *ScheduleError
		if !errors.As(err, &se) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("ParseFile(%q) = %v, want a ScheduleError starting %q", c.data, err, c.want)
		}
	}
}

func FuzzParseFile(f *testing.F) {
	f.Add("phases:\n  - duration: 1s\n    capacity: 4\n    ramp: false\n")
	f.Add("dist: exp\nphases:\n  - {duration: 1s, capacity: 4, service: 1ms, failure: 1%}\n  - {ramp: true, duration: 2s, capacity: 9}\n")
	f.Fuzz(func(t *testing.T, data string) {
		s, err := ParseFile("f.yaml", []byte(data))
		if err != nil {
			return
		}
		// Whatever parses must survive the spec syntax unchanged.
		back, err := ParseSpec(s.String())
		if err != nil || back.String() != s.String() {
			t.Fatalf("spec %q does not round-trip: %v", s.String(), err)
		}
	})
}

func TestTheExampleScheduleParses(t *testing.T) {
	s, err := LoadFile("../../examples/backend/brownout.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	// The outage is its failing stretch: the brownout ramps to 30% only.
	if spans := s.FailingSpans(); len(spans) != 1 || spans[0] != (Span{5 * time.Second, 7 * time.Second}) {
		t.Fatalf("failing spans %v, want [5s, 7s)", spans)
	}
}
