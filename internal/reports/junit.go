package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"

	"github.com/syncbench/syncbench/result"
)

// JUnit XML, the test report every CI system renders, in the shape of the
// common schema (Ant's JUnit task, as Jenkins' xunit plugin specifies it in
// junit-10.xsd; testdata/junit-10.xsd holds a copy, against which the tests
// validate): a <testsuites> of one <testsuite> per run, one <testcase> per
// threshold, a <failure> for a threshold that did not hold and an <error> for
// one the run could not measure.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Hostname   string          `xml:"hostname,attr,omitempty"`
	ID         int             `xml:"id,attr"`
	Package    string          `xml:"package,attr,omitempty"`
	Properties junitProperties `xml:"properties"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  string          `xml:"system-out,omitempty"`
}

type junitProperties struct {
	Properties []junitProperty `xml:"property"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure"`
	Error     *junitProblem `xml:"error"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// junitSeconds writes a duration in ns as JUnit's time attribute: seconds
// with three decimals, never an exponent (the schema's SUREFIRE_TIME).
func junitSeconds(ns int64) string { return strconv.FormatFloat(float64(ns)/1e9, 'f', 3, 64) }

// WriteJUnit writes the thresholds' verdicts of results as a JUnit XML test
// report (-junit FILE): one <testsuite> per run named by RunName, with the
// run's configuration as properties and its measured duration as its time;
// one <testcase> per threshold named by its expression; a <failure
// type="threshold"> with the verdict's message for a threshold that did not
// hold, an <error type="not measured"> for one the run could not measure. A
// run -threshold-abort stopped says so in its system-out. Results without
// verdicts still get their (empty) suite, so the report lists every run.
func WriteJUnit(w io.Writer, results []*result.Result) error {
	doc := junitSuites{Name: "loadgen thresholds"}
	var total int64
	for i, r := range results {
		s := junitSuite{
			Name: RunName(r), Time: junitSeconds(r.DurationNs), Hostname: r.Env.Hostname, ID: i, Package: "syncbench/" + r.Family,
		}
		if !r.Start.IsZero() {
			s.Timestamp = r.Start.UTC().Format("2006-01-02T15:04:05")
		}
		total += r.DurationNs
		for _, p := range [][2]string{
			{"impl", r.Impl}, {"family", r.Family}, {"workload", r.Workload}, {"model", r.Params.Model},
			{"concurrency", strconv.Itoa(r.Params.Concurrency)}, {"rate", strconv.FormatFloat(r.Params.Rate, 'f', -1, 64)},
			{"command", r.Command}, {"interrupted", strconv.FormatBool(r.Interrupted)},
		} {
			if p[1] != "" {
				s.Properties.Properties = append(s.Properties.Properties, junitProperty{Name: p[0], Value: p[1]})
			}
		}
		for _, v := range r.Thresholds {
			c := junitCase{Name: v.Expression, Classname: "loadgen." + r.Impl, Time: "0.000"}
			detail := fmt.Sprintf("%s: measured %s, limit %s %v %s\n", v.Metric, ThresholdValue(v), v.Op, v.Limit, v.Unit)
			switch {
			case v.Value == nil:
				c.Error = &junitProblem{Message: v.Message, Type: "not measured", Text: detail}
				s.Errors++
			case !v.Pass:
				c.Failure = &junitProblem{Message: v.Message, Type: "threshold", Text: detail}
				s.Failures++
			}
			s.Cases = append(s.Cases, c)
		}
		s.Tests = len(s.Cases)
		if r.Aborted != "" {
			s.SystemOut = "stopped early by -threshold-abort: " + r.Aborted + "\n"
		}
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Suites = append(doc.Suites, s)
	}
	doc.Time = junitSeconds(total)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
