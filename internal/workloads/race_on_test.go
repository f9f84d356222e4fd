//go:build race

package workloads

// raceDetector is set when the tests run under the race detector, which
// allocates on paths that do not otherwise: allocation counts are not checked
// then.
const raceDetector = true
