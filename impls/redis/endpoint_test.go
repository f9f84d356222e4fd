package redis

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParseEndpoint(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == PasswordEnv {
				return v
			}
			return ""
		}
	}
	tests := []struct {
		name  string
		in    string
		env   func(string) string
		want  Endpoint
		shown string // String()
	}{
		{"a host:port is one address", "127.0.0.1:7000", nil,
			Endpoint{Addrs: []string{"127.0.0.1:7000"}}, "127.0.0.1:7000"},
		{"a bare host gets port 6379", "redis.internal", nil,
			Endpoint{Addrs: []string{"redis.internal:6379"}}, "redis.internal:6379"},
		{"a comma list is the seeds of a cluster", "a:1, b:2,c:3", nil,
			Endpoint{Addrs: []string{"a:1", "b:2", "c:3"}}, "a:1,b:2,c:3"},
		{"a URL carries user, password and database", "redis://alice:s3cret@h:6380/2", nil,
			Endpoint{Addrs: []string{"h:6380"}, Username: "alice", Password: "s3cret", DB: 2}, "redis://alice@h:6380/2"},
		{"rediss means TLS", "rediss://h", nil,
			Endpoint{Addrs: []string{"h:6379"}, TLS: true}, "rediss://h:6379"},
		{"URLs and addresses mix in one list", "redis://:pw@a:1,b:2", nil,
			Endpoint{Addrs: []string{"a:1", "b:2"}, Password: "pw"}, "a:1,b:2"},
		{"the password comes from REDISCLI_AUTH when the URL has none", "redis://alice@h:1", env("fromenv"),
			Endpoint{Addrs: []string{"h:1"}, Username: "alice", Password: "fromenv"}, "redis://alice@h:1"},
		{"a password in the URL wins over REDISCLI_AUTH", "redis://:inurl@h:1", env("fromenv"),
			Endpoint{Addrs: []string{"h:1"}, Password: "inurl"}, "h:1"},
		{"an IPv6 address keeps its brackets", "[::1]:7000", nil,
			Endpoint{Addrs: []string{"[::1]:7000"}}, "[::1]:7000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseEndpoint(tt.in, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ParseEndpoint(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if s := got.String(); s != tt.shown {
				t.Errorf("String() = %q, want %q", s, tt.shown)
			}
		})
	}
}

func TestParseEndpointErrorsNameTheItemButNeverThePassword(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"an empty item", "a:1,,b:2", "empty item"},
		{"an unknown scheme", "http://u:hunter2@h:1", `scheme "http"`},
		{"a bad port", "redis://u:hunter2@h:99999", "port"},
		{"a non-numeric port in a URL", "redis://u:hunter2@h:xx", "hunter"},
		{"a bad database", "redis://u:hunter2@h:1/x", "database"},
		{"a query string", "redis://u:hunter2@h:1?dial_timeout=1s", "query"},
		{"URLs with different credentials", "redis://u:hunter2@a:1,redis://v:other@b:2", "same credentials"},
		{"URLs with different schemes", "redis://a:1,rediss://b:2", "same scheme"},
		{"no host", "redis://u:hunter2@/0", "no host"},
		// Issue 22: the wrapped parsers' messages quoted the address.
		{"a password without a scheme", "u:hunter2@127.0.0.1:16380", "a user or password needs a URL"},
		{"a bad port after a password without a scheme", "0:hunter2@0", "0:***@0"},
		{"a password with a '#'", "redis://u:hunter2#PW@127.0.0.1:1", "must be percent-encoded"},
		{"a password with a '#' and a '?'", "redis://u:hun?ter2#@h:1", "redis://u:***@h:1"},
		{"a password in the query", "redis://127.0.0.1:1?password=hunter2", "?password=***"},
		{"a password in the fragment", "redis://127.0.0.1:1#hunter2", "query and fragment"},
		{"a bad IPv6 host", "redis://:hunter2@[::1", "not a valid URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseEndpoint(tt.in, nil)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if tt.want == "hunter" {
				// url.Parse's own message quotes the URL: ours must not.
				if strings.Contains(msg, "hunter2") {
					t.Fatalf("error %q shows the password", msg)
				}
				return
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error %q does not mention %q", msg, tt.want)
			}
			if strings.Contains(msg, "hunter2") || strings.Contains(msg, "other") {
				t.Errorf("error %q shows a password", msg)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a:1,b:2", "a:1,b:2"},
		{"redis://u:pw@h:1", "redis://u:***@h:1"},
		{"redis://:pw@h:1,redis://u:p@ss@h:2", "redis://:***@h:1,redis://u:***@h:2"},
		{"redis://u@h:1", "redis://u@h:1"},
		{"u:pw@h:1", "u:***@h:1"},
		{"redis://u:s3cret#PW@h:1", "redis://u:***@h:1"},
		{"redis://h:1?password=pw&db=2", "redis://h:1?password=***&db=***"},
		{"redis://h:1#pw", "redis://h:1#***"},
		{"--redis=redis://:pw@h:1", "--redis=redis://:***@h:1"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWithoutPasswordMovesThePasswordOutOfTheList(t *testing.T) {
	for _, tt := range []struct{ in, list, password string }{
		{"redis://alice:s3cret@h:6380/2", "redis://alice@h:6380/2", "s3cret"},
		{"redis://:pw@a:1,b:2", "redis://a:1,b:2", "pw"},
		{"redis://u:p%23w@a:1,redis://u:p%23w@b:2", "redis://u@a:1,redis://u@b:2", "p#w"},
		{"a:1,b:2", "a:1,b:2", ""},
		{"redis://u@h:1", "redis://u@h:1", ""},
	} {
		list, password := WithoutPassword(tt.in)
		if list != tt.list || password != tt.password {
			t.Errorf("WithoutPassword(%q) = %q, %q; want %q, %q", tt.in, list, password, tt.list, tt.password)
		}
		// The child puts them together again.
		env := func(k string) string {
			if k == PasswordEnv {
				return password
			}
			return ""
		}
		want, _ := ParseEndpoint(tt.in, nil)
		if got, err := ParseEndpoint(list, env); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ParseEndpoint(%q) with the password in the environment = %+v, %v; want %+v", list, got, err, want)
		}
	}
}

// FuzzParseEndpoint checks that no input makes the parser panic or put a URL's
// password into an error.
func FuzzParseEndpoint(f *testing.F) {
	for _, s := range []string{"a:1", "redis://u:pw@h:1/2", "rediss://:pw@h", "a:1,redis://u:pw@b:2", "redis://u:p%zz@h", "u:s3cretPW@127.0.0.1:1", "redis://u:s3cret#PW@h:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, err := ParseEndpoint(s, nil)
		if err == nil {
			return
		}
		for item := range strings.SplitSeq(s, ",") {
			at := strings.LastIndex(item, "@")
			start := 0
			if j := strings.Index(item, "://"); j >= 0 {
				start = j + 3
			}
			if at < start {
				continue
			}
			if _, pw, ok := strings.Cut(item[start:at], ":"); ok && len(pw) >= 4 && !strings.Contains(fmt.Sprintf("%q", Redact(s)), pw) && strings.Contains(err.Error(), pw) {
				t.Fatalf("error %q contains the password %q", err, pw)
			}
		}
	})
}
