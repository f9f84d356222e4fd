package units

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	tests := []struct {
		ns   float64
		want string
	}{
		{0, "0s"},
		{1, "1ns"},
		{8, "8ns"},
		{850, "850ns"},
		{999, "999ns"},
		{23.44, "23.4ns"},
		{0.5, "0.500ns"},
		{999.6, "1.00µs"},
		{1000, "1.00µs"},
		{12345, "12.3µs"},
		{999_600, "1.00ms"}, // the old %.3g printed "1e+03µs"
		{4_560_000, "4.56ms"},
		{99_960_000, "100ms"},
		{1_200_000_000, "1.20s"},
		{3e9, "3.00s"},
		{1234e9, "1234s"},
		{1e15, "1000000s"},
		{-2_500_000, "-2.50ms"},
		{math.NaN(), "-"},
	}
	for _, tt := range tests {
		if got := Duration(tt.ns); got != tt.want {
			t.Errorf("Duration(%v) = %q, want %q", tt.ns, got, tt.want)
		}
	}
	if got := DurationOf(1500 * time.Microsecond); got != "1.50ms" {
		t.Errorf("DurationOf(1.5ms) = %q", got)
	}
	if got := DurationNs(42); got != "42ns" {
		t.Errorf("DurationNs(42) = %q", got)
	}
}

func TestNoExponentAnywhere(t *testing.T) {
	for e := -9; e <= 18; e++ {
		for _, m := range []float64{1, 1.5, 9.996, 99.96, 999.6} {
			v := m * math.Pow(10, float64(e))
			for name, f := range map[string]func(float64) string{
				"Duration": Duration, "Rate": Rate, "Count": Count, "Bytes": Bytes, "Number": Number, "Percent": Percent, "Plain": Plain,
			} {
				if s := f(v); strings.ContainsAny(s, "eE") && !strings.Contains(s, "∞") {
					t.Errorf("%s(%g) = %q has an exponent", name, v, s)
				}
			}
		}
	}
}

func TestRateAndCount(t *testing.T) {
	tests := []struct {
		f    func(float64) string
		v    float64
		want string
	}{
		{Rate, 0, "0"},
		{Rate, 950, "950"},
		{Rate, 0.5, "0.500"},
		{Rate, 12.5, "12.5"},
		{Rate, 999.7, "1.00k"},
		{Rate, 12345, "12.3k"},
		{Rate, 5000, "5.00k"},
		{Rate, 1e6, "1.00M"},
		{Rate, 50e6, "50.0M"},
		{Rate, 2.5e9, "2.50G"},
		{Rate, 5e15, "5000T"},
		{Rate, math.NaN(), "-"},
		{Count, 9999, "9999"},
		{Count, 10000, "10.0k"},
		{Count, 4_567_890, "4.57M"},
		{Count, 0, "0"},
	}
	for _, tt := range tests {
		if got := tt.f(tt.v); got != tt.want {
			t.Errorf("f(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestBytes(t *testing.T) {
	tests := []struct {
		b    float64
		want string
	}{
		{0, "0B"}, {48, "48B"}, {48.3, "48.3B"}, {1024, "1.00KiB"}, {1536, "1.50KiB"},
		{3.2 * (1 << 20), "3.20MiB"}, {1023.9 * 1024, "1024KiB"}, {math.NaN(), "-"},
	}
	for _, tt := range tests {
		if got := Bytes(tt.b); got != tt.want {
			t.Errorf("Bytes(%v) = %q, want %q", tt.b, got, tt.want)
		}
	}
}

func TestPercentAndRatio(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{Percent(12.34), "12.3%"},
		{Percent(0.045), "0.0450%"},
		{Percent(150), "150%"},
		{Percent(0), "0%"},
		{SignedPercent(1.2), "+1.20%"},
		{SignedPercent(-3.3), "-3.30%"},
		{SignedPercent(0), "0%"},
		{Ratio(2.1, 1), "2.10×"},
		{Ratio(1.005, 1), "1.00×"},
		{Ratio(1000, 1), "1000×"},
		{Ratio(734794.67, 1), "> 1000×"},
		{Ratio(1, 0), "-"},
		{Ratio(math.NaN(), 1), "-"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

func TestAtLeast(t *testing.T) {
	if got := AtLeast(Duration(3e9), true); got != "≥ 3.00s" {
		t.Errorf("AtLeast(3s, true) = %q", got)
	}
	if got := AtLeast("3.00s", false); got != "3.00s" {
		t.Errorf("AtLeast(3s, false) = %q", got)
	}
	if got := AtLeast(Missing, true); got != Missing {
		t.Errorf("a missing value is never marked, got %q", got)
	}
}

func TestTrimAndPlain(t *testing.T) {
	tests := []struct{ got, want string }{
		{Number(1), "1"},
		{Number(12), "12"},
		{Number(0.673), "0.673"},
		{Number(203147), "203147"},
		{Trim("10.0µs"), "10µs"},
		{Trim("2.50k"), "2.5k"},
		{Trim("100"), "100"},
		{Trim("1.00"), "1"},
		{Trim("-2.50ms"), "-2.5ms"},
		{Trim("≥ 3.00s"), "≥ 3.00s"}, // only a leading number is trimmed
		{Plain(5000), "5000"},
		{Plain(0.25), "0.25"},
		{Plain(1e-7), "0.0000001"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

func FuzzDuration(f *testing.F) {
	for _, v := range []float64{0, 1, 999.6, 999_600, 3e9, -5} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, ns float64) {
		s := Duration(ns)
		if s == "" || (strings.ContainsAny(s, "eE") && !math.IsInf(ns, 0)) {
			t.Fatalf("Duration(%g) = %q", ns, s)
		}
	})
}
