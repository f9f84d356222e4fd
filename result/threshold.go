package result

// ThresholdVerdict is one threshold's verdict on one result: a -threshold or
// scenario-file condition such as "p(95)<500ms" or "errors:rate<0.01", the
// value the run measured, and whether the condition held. Results carry one
// per threshold the run was given, in the order given (Result.Thresholds).
type ThresholdVerdict struct {
	// Expression is the threshold as given, e.g. "p(95)<500ms".
	Expression string `json:"expression"`
	// Metric names what was measured, canonically: the timing or count, its
	// split if any, and the aggregation, e.g. "response p(95)",
	// "response{kind:write} p(99)", "errors rate", "ops count".
	Metric string `json:"metric"`
	// Unit is the unit of Value and Limit: "ns" (latencies), "ratio" (a
	// share of completed ops in [0, 1]), "percent", "ops" (a count) or
	// "ops/s".
	Unit string `json:"unit"`
	// Value is the measured value; nil (absent) when the result could not
	// provide it (no completed ops, no ops of the split, a closed loop's
	// lag), which fails the threshold.
	Value *float64 `json:"value,omitempty"`
	// Op is the comparison: "<", "<=", ">", ">=", "==" or "!=".
	Op string `json:"op"`
	// Limit is the bound Value is compared with.
	Limit float64 `json:"limit"`
	// Pass is whether Value Op Limit held.
	Pass bool `json:"pass"`
	// Message is the verdict in one line, as the summary prints it, e.g.
	// "p(95) 1.2ms < 500ms", or "p(95) 3ms > 500ms by 2.5ms (500%)".
	Message string `json:"message"`
}

// ThresholdsPass reports whether every threshold verdict of r passed (true
// when r has none).
func (r *Result) ThresholdsPass() bool {
	for _, v := range r.Thresholds {
		if !v.Pass {
			return false
		}
	}
	return true
}
