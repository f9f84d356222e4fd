package impls

// FieldError reports one impossible value of a configuration (Config, or
// workloads.Spec).
type FieldError struct {
	// Field names the value as the loadgen flag and the scenario key do
	// ("capacity", "read-ratio").
	Field string
	// Msg states the value, what is wrong with it and, in parentheses, what is
	// allowed.
	Msg string
}

func (e *FieldError) Error() string { return e.Field + " " + e.Msg }
