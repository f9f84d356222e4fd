package cli

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

func TestGCAndSizeFlagsAreParsedAsTheyAreSpelt(t *testing.T) {
	gogc, err := parseGOGCList("50, 100,OFF")
	if err != nil || len(gogc) != 3 || *gogc[0] != 50 || *gogc[1] != 100 || *gogc[2] != -1 {
		t.Fatalf("parseGOGCList = %v, %v", gogc, err)
	}
	limits, err := parseMemoryLimitList("64MiB,1GiB,off,8388608")
	if err != nil || len(limits) != 4 || limits[0] != 64<<20 || limits[1] != 1<<30 || limits[2] != math.MaxInt64 || limits[3] != 8<<20 {
		t.Fatalf("parseMemoryLimitList = %v, %v", limits, err)
	}
	for in, want := range map[string]int64{"4096": 4096, "4KiB": 4096, "4kib": 4096, "1 MiB": 1 << 20, "16B": 16, "2GiB": 2 << 30} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "1.5KiB", "-1", "4KB", "KiB", "9999999999TiB"} {
		if got, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", in, got)
		}
	}
}

func TestTheGCSweepIsEveryGOGCWithEveryMemoryLimit(t *testing.T) {
	fifty := 50
	cells := gcCells([]*int{&fifty, nil}, []int64{64 << 20, math.MaxInt64})
	var got []string
	for _, c := range cells {
		got = append(got, c.PercentText()+"/"+c.MemoryLimitText())
	}
	if strings.Join(got, " ") != "50/64MiB 50/off /64MiB /off" {
		t.Errorf("cells %v", got)
	}
	if one := gcCells(nil, nil); len(one) != 1 || one[0].Percent != nil || one[0].MemoryLimit != 0 {
		t.Errorf("no GC flag: %+v, want the one zero setting", one)
	}
}

func TestBadGCAndPoolFlagsAreRefusedBeforeAnyRun(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-gogc", "0"}, `-gogc "0" is not valid (allowed: whole percents from 1 to 1000000, or off`},
		{[]string{"-gogc", "50,fast"}, `-gogc "fast" is not valid`},
		{[]string{"-memlimit", "1MiB"}, `-memlimit "1MiB" is not valid (allowed: sizes from 4MiB`},
		{[]string{"-memlimit", "lots"}, `-memlimit "lots" is not valid`},
		{[]string{"-impl", "pools", "-size", "1.5KiB"}, `-size "1.5KiB" is not valid`},
		{[]string{"-impl", "pools", "-size", "0"}, `-size "0" is not valid`},
		{[]string{"-impl", "pools", "-size", "8"}, "alloc: size 8 is out of range (allowed: 16 to"},
		{[]string{"-impl", "mutex", "-size", "4KiB"}, "-size does not apply to the chosen implementations (it applies to: pools)"},
		{[]string{"-impl", "mutex", "-cancel-ratio", "0.5"}, "-cancel-ratio does not apply to the chosen implementations (it applies to: coalescing)"},
		{[]string{"-impl", "singleflight", "-cancel-ratio", "0.5"}, "singleflight: cancel ratio 0.5 needs a timeout"},
		{[]string{"-impl", "singleflight", "-cancel-ratio", "1.5", "-timeout", "1ms"}, "-cancel-ratio 1.5 is outside [0,1]"},
		{[]string{"-impl", "flock", "-procs", "2", "-gogc", "50,100"}, "-procs 2 runs one GC setting in every process: it does not combine with a -gogc or -memlimit sweep"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := runCLI(t, append(tc.args, "-out", out)...)
			if code != ExitBadInput || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) || stdout != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 and one line holding %q", code, stdout, stderr, tc.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Fatalf("bad input created %s", out)
			}
		})
	}
}

func TestAGOGCSweepRunsEveryCellUnderItsOwnSetting(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runCLI(t, "-impl", "chanpool", "-gogc", "50,off", "-memlimit", "512MiB", "-size", "1KiB",
		"-duration", "50ms", "-warmup", "0s", "-concurrency", "2", "-out", out, "-quiet")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for file, want := range map[string]string{"chanpool-gogc50.json": "50", "chanpool-gogcoff.json": "off"} {
		raw, err := os.ReadFile(filepath.Join(out, file))
		if err != nil {
			t.Fatal(err)
		}
		var r result.Result
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		if r.Params.GOGC != want || r.Params.MemoryLimit != "512MiB" || r.Params.Family["size"] != "1KiB" {
			t.Errorf("%s: gogc %q, memory limit %q, size %q; want %s, 512MiB, 1KiB", file, r.Params.GOGC, r.Params.MemoryLimit, r.Params.Family["size"], want)
		}
	}
	if !strings.Contains(stdout, "gogc=50 memlimit=512MiB") || !strings.Contains(stdout, "gogc=off memlimit=512MiB") {
		t.Errorf("the summary does not tell the cells apart by their GC settings:\n%s", stdout)
	}
}
