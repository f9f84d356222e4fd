package result

import "testing"

func TestCheckoutRevision(t *testing.T) {
	const sha = "0123456789abcdef0123456789abcdef01234567"
	head := func(s string) func() string { return func() string { return s } }
	tests := []struct {
		name, github, head, want string
	}{
		{"GITHUB_SHA wins over the checkout", "feedface", sha, "feedface"},
		{"the checkout's HEAD when GITHUB_SHA is unset", "", sha, sha},
		{"nothing when git prints no commit id", "", "fatal: not a git repository", ""},
		{"nothing when git is absent", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := checkoutRevision(tt.github, head(tt.head)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCurrentEnvironmentNamesTheCheckout(t *testing.T) {
	// Tests run without a VCS stamp inside the repository's checkout, the
	// case a CI build with -buildvcs=false is in.
	if c := CurrentEnvironment().Commit; c == "" {
		if gitHead() != "" {
			t.Errorf("git knows HEAD (%s) but the environment has no commit", gitHead())
		}
	}
}
