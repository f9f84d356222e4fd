package impls

import (
	"strings"
	"testing"
)

func TestConfigValidateNamesEveryImpossibleValue(t *testing.T) {
	if err := (Config{}).Validate(); err != nil {
		t.Fatalf("the zero Config (every family's defaults) is refused: %v", err)
	}
	bad := Config{Keys: -1, Capacity: -1, Timeout: -1, Limit: -1, Burst: -1, Window: -1, KeyTTL: -1, SharedRatio: 1.5}
	joined, ok := bad.Validate().(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("Validate returned %v, want the joined field errors", bad.Validate())
	}
	var fields []string
	for _, err := range joined.Unwrap() {
		fe, ok := err.(*FieldError)
		if !ok {
			t.Fatalf("%v is a %T, want a *FieldError", err, err)
		}
		fields = append(fields, fe.Field)
	}
	want := "keys capacity timeout limit burst window key-ttl shared-ratio"
	if got := strings.Join(fields, " "); got != want {
		t.Fatalf("fields %q, want %q", got, want)
	}
}
