package impls

import (
	"strings"
	"testing"
)

func TestConfigValidateNamesEveryImpossibleValue(t *testing.T) {
	if err := (Config{}).Validate(); err != nil {
		t.Fatalf("the zero Config (every family's defaults) is refused: %v", err)
	}
	bad := Config{Keys: -1, Capacity: -1, Timeout: -1, Limit: -1, Burst: -1, Window: -1, KeyTTL: -1, SharedRatio: 1.5, Consumers: -1}
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
	want := "keys capacity timeout limit burst window key-ttl shared-ratio consumers"
	if got := strings.Join(fields, " "); got != want {
		t.Fatalf("fields %q, want %q", got, want)
	}
}

func TestConfigValidateRefusesANegativeSizeAndACancelRatioOutsideOne(t *testing.T) {
	for _, tc := range []struct {
		cfg   Config
		field string
	}{
		{Config{Size: -1}, "size"},
		{Config{CancelRatio: -0.1}, "cancel-ratio"},
		{Config{CancelRatio: 1.5}, "cancel-ratio"},
	} {
		fe, ok := tc.cfg.Validate().(interface{ Unwrap() []error })
		if !ok || len(fe.Unwrap()) != 1 || fe.Unwrap()[0].(*FieldError).Field != tc.field {
			t.Errorf("Validate(%+v) = %v, want one error about %s", tc.cfg, tc.cfg.Validate(), tc.field)
		}
	}
	if err := (Config{Size: 4096, CancelRatio: 1}).Validate(); err != nil {
		t.Errorf("a size and a cancel ratio of 1 are refused: %v", err)
	}
}
