package result

import "encoding/json"

const (
	// LimiterExtrasKey is the Result.Extras group a rate limiter's accuracy is
	// stored under.
	LimiterExtrasKey = "limiter"
	// AdmittedRateErrorKey is the entry of Extras[LimiterExtrasKey] holding the
	// admitted rate's error against the configured limit, in percent (signed:
	// positive means too much was admitted).
	AdmittedRateErrorKey = "rate_error_pct"
)

// RuntimeExtrasKey is the Result.Extras group runtime telemetry is stored under:
// result.Extras[RuntimeExtrasKey] = stats.Map().
const RuntimeExtrasKey = "runtime"

// ExtrasMap returns v, a struct with JSON tags, as a Result.Extras entry: keyed by
// its JSON field names, with numbers as float64. That is exactly what a result
// read back from its file holds, so code reading extras sees one shape whether
// the result was just measured or loaded.
func ExtrasMap(v any) map[string]any {
	data, err := json.Marshal(v)
	if err != nil {
		panic("metrics: extras must marshal: " + err.Error()) // only plain structs are passed
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		panic("metrics: extras must be a JSON object: " + err.Error())
	}
	return m
}

// ExtraFloat reads a number from a Result.Extras entry, which holds Go numbers
// when the result was built in this process and float64 when it was decoded from
// JSON. Anything that is not a number (or is missing) reads as 0.
func ExtraFloat(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case int64:
		return float64(n)
	case int:
		return float64(n)
	case uint64:
		return float64(n)
	}
	return 0
}
