package reports

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/result"
)

// xmllintSchema validates the XML file at path against testdata/junit-10.xsd
// with libxml2's xmllint, a real schema validator (Debian's libxml2-utils,
// which .ci/run installs), and returns its verdict and output.
func xmllintSchema(t *testing.T, path string) (valid bool, out string) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatalf("xmllint is needed to validate JUnit XML against its schema (apt-get install libxml2-utils): %v", err)
	}
	b, err := exec.Command(xmllint, "--noout", "--schema", filepath.Join("testdata", "junit-10.xsd"), path).CombinedOutput()
	return err == nil, string(b)
}

// judged returns results of a lock run with verdicts of thresholds: some
// pass, one fails, one cannot be measured (a split the run lacks), and one
// holds XML's special characters in its expression.
func judged(t *testing.T) []*result.Result {
	t.Helper()
	ths, err := metrics.ParseThresholds([]string{"p(95)<1s", "avg<1ns", "p99{kind:delete}<1ms", "errors:rate<0.01", "count>=0"})
	if err != nil {
		t.Fatal(err)
	}
	a := makeResult(t, fixture{impl: "mutex", conc: 4, ops: 2000, baseNs: 2000, seed: 1, writeEvery: 4})
	b := makeResult(t, fixture{impl: "rwmutex", conc: 4, ops: 2000, baseNs: 1500, seed: 2, rep: 2})
	b.Fork, b.Params.Forks, b.Aborted, b.Interrupted = 3, 6, `avg<1ns failed after 1s of 2s: avg 1.5µs > 1ns & more "quoted"`, true
	for _, r := range []*result.Result{a, b} {
		r.Command = `loadgen -impl mutex,rwmutex -threshold 'p(95)<1s' -threshold "avg<1ns"`
		r.Thresholds = metrics.Verdicts(ths, r)
	}
	return []*result.Result{a, b}
}

func TestJUnitValidatesAgainstTheSchema(t *testing.T) {
	results := judged(t)
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, results); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "junit.xml")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if ok, out := xmllintSchema(t, path); !ok {
		t.Fatalf("loadgen's JUnit XML does not validate:\n%s\n%s", out, buf.String())
	}

	// What it says: read back as any JUnit consumer would.
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
		Suites   []struct {
			Name      string `xml:"name,attr"`
			Tests     int    `xml:"tests,attr"`
			Failures  int    `xml:"failures,attr"`
			Errors    int    `xml:"errors,attr"`
			SystemOut string `xml:"system-out"`
			Cases     []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Type    string `xml:"type,attr"`
				} `xml:"failure"`
				Error *struct {
					Message string `xml:"message,attr"`
				} `xml:"error"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 10 || doc.Failures != 2 || doc.Errors != 2 || len(doc.Suites) != 2 {
		t.Fatalf("totals: %d tests, %d failures, %d errors in %d suites; want 10, 2, 2 in 2", doc.Tests, doc.Failures, doc.Errors, len(doc.Suites))
	}
	for i, s := range doc.Suites {
		r := results[i]
		if s.Name != RunName(r) || s.Tests != 5 || s.Failures != 1 || s.Errors != 1 {
			t.Errorf("suite %d: %q with %d tests, %d failures, %d errors", i, s.Name, s.Tests, s.Failures, s.Errors)
		}
		for j, c := range s.Cases {
			v := r.Thresholds[j]
			switch {
			case c.Name != v.Expression:
				t.Errorf("case %q, want the expression %q", c.Name, v.Expression)
			case v.Value == nil && (c.Error == nil || c.Error.Message != v.Message):
				t.Errorf("%s: an unmeasured threshold is not an error with its message: %+v", c.Name, c.Error)
			case v.Value != nil && !v.Pass && (c.Failure == nil || c.Failure.Message != v.Message || c.Failure.Type != "threshold"):
				t.Errorf("%s: a failed threshold is not a failure with its message: %+v", c.Name, c.Failure)
			case v.Pass && (c.Failure != nil || c.Error != nil):
				t.Errorf("%s passed but is reported as failed", c.Name)
			}
		}
	}
	if !strings.Contains(doc.Suites[1].SystemOut, "stopped early by -threshold-abort") {
		t.Errorf("the aborted run's suite does not say so: %q", doc.Suites[1].SystemOut)
	}
	if !strings.HasSuffix(doc.Suites[1].Name, " r2 f3") {
		t.Errorf("suite %q does not name its repetition and fork", doc.Suites[1].Name)
	}
}

func TestTheSchemaCheckRejectsWhatIsNotJUnit(t *testing.T) {
	// The validation above means something only if the validator refuses a
	// report the schema does not allow: a testsuite without its counts, a
	// testcase without a name.
	for name, doc := range map[string]string{
		"a suite without tests":    `<testsuites><testsuite name="x" failures="0" errors="0"/></testsuites>`,
		"a case without a name":    `<testsuites><testsuite name="x" tests="1" failures="0" errors="0"><testcase classname="c"/></testsuite></testsuites>`,
		"a time with an exponent":  `<testsuites time="1e-3"/>`,
		"an element of its own":    `<testsuites><verdict/></testsuites>`,
		"a failure outside a case": `<testsuites><testsuite name="x" tests="0" failures="0" errors="0"><failure/></testsuite></testsuites>`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.xml")
			if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
			if ok, out := xmllintSchema(t, path); ok {
				t.Errorf("xmllint accepted %s: %s", doc, out)
			}
		})
	}
}

func TestWriteThresholdsTablesEveryVerdict(t *testing.T) {
	results := judged(t)
	var buf bytes.Buffer
	if err := WriteThresholds(&buf, results); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, want := range []string{"## Thresholds", "**4 of 10 threshold checks failed** (exit 3)", "| `p(95)<1s` |", "**fail**: avg ", "not measured",
		"was stopped early by -threshold-abort", RunName(results[1])} {
		if !strings.Contains(text, want) {
			t.Errorf("the section lacks %q:\n%s", want, text)
		}
	}
	if rows := strings.Count(text, "\n| ") - 1; rows != 10 { // less the header
		t.Errorf("%d table rows, want one per verdict (10):\n%s", rows, text)
	}
	buf.Reset()
	if err := WriteThresholds(&buf, []*result.Result{makeResult(t, fixture{impl: "m", conc: 1, ops: 10, baseNs: 10})}); err != nil || buf.Len() != 0 {
		t.Errorf("a run without thresholds got a section: %q, %v", buf.String(), err)
	}
}
