package redis

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// PasswordEnv is the environment variable read for the Redis password when the
// address does not carry one: the variable redis-cli reads, so a shell set up for
// redis-cli works for loadgen too, and the password stays out of the command line
// (and so out of ps, shell history and the result's recorded command).
const PasswordEnv = "REDISCLI_AUTH"

// Endpoint is where the Redis-backed targets connect: the seed addresses and
// the credentials. One address of a standalone server is used as is; several
// addresses, or one address of a Redis Cluster node, are the seeds of a cluster
// client, which learns the other nodes from them.
type Endpoint struct {
	// Addrs are host:port seed addresses, at least one.
	Addrs []string
	// Username is the ACL user; empty means the default user.
	Username string
	// Password authenticates Username; empty means no AUTH.
	Password string
	// TLS is set by a rediss:// URL.
	TLS bool
	// DB is the database number of a standalone server (a URL's path, /N); a
	// cluster has only database 0.
	DB int
}

// ParseEndpoint parses s, a comma-separated list whose items are host:port
// addresses (a bare host means port 6379) or redis:// and rediss:// URLs
// (redis://[user[:password]@]host[:port][/db]). Every item that carries
// credentials, TLS or a database must agree with the others. A password
// absent from s is taken from getenv(PasswordEnv); getenv may be nil.
//
// Errors never contain the password: they quote the item with the password
// replaced by "***" (see Redact).
func ParseEndpoint(s string, getenv func(string) string) (Endpoint, error) {
	var ep Endpoint
	var creds, schemeSet bool
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return Endpoint{}, fmt.Errorf("redis address %q: empty item in the comma list", Redact(s))
		}
		if !strings.Contains(item, "://") {
			if strings.Contains(item, "@") {
				// Whatever hostPort would quote (the port of u:pw@h) could
				// hold the password: refused before it looks.
				return Endpoint{}, fmt.Errorf("redis address %q: a user or password needs a URL (allowed: host:port, or redis://[user[:password]@]host[:port][/db])", Redact(item))
			}
			addr, err := hostPort(item)
			if err != nil {
				return Endpoint{}, fmt.Errorf("redis address %q: %v", Redact(item), err)
			}
			ep.Addrs = append(ep.Addrs, addr)
			continue
		}
		u, err := url.Parse(item)
		if err != nil {
			// url.Parse's messages quote what they choke on, and in a URL
			// that does not parse that is often a piece of the password
			// ("invalid port \":s3cret\" after host" when it holds a '#'):
			// none of it is shown.
			return Endpoint{}, fmt.Errorf("redis address %q: not a valid URL (allowed: redis://[user[:password]@]host[:port][/db]; a '#', '?', '/', '@' or '%%' in a password must be percent-encoded, e.g. '#' as %%23)", Redact(item))
		}
		tls := false
		switch u.Scheme {
		case "redis":
		case "rediss":
			tls = true
		default:
			return Endpoint{}, fmt.Errorf("redis address %q: scheme %q (allowed: redis://, rediss://, or host:port)", Redact(item), u.Scheme)
		}
		if u.RawQuery != "" || u.Fragment != "" {
			return Endpoint{}, fmt.Errorf("redis address %q: query and fragment are not supported", Redact(item))
		}
		addr, err := hostPort(u.Host)
		if err != nil {
			return Endpoint{}, fmt.Errorf("redis address %q: %v", Redact(item), err)
		}
		db := 0
		if p := strings.TrimPrefix(u.Path, "/"); p != "" {
			if db, err = strconv.Atoi(p); err != nil || db < 0 {
				return Endpoint{}, fmt.Errorf("redis address %q: database %q is not a number >= 0", Redact(item), p)
			}
		}
		user, pass := "", ""
		if u.User != nil {
			user = u.User.Username()
			pass, _ = u.User.Password()
		}
		if schemeSet && (tls != ep.TLS || db != ep.DB) {
			return Endpoint{}, fmt.Errorf("redis address %q: every URL of the list must have the same scheme and database", Redact(item))
		}
		if u.User != nil {
			if creds && (user != ep.Username || pass != ep.Password) {
				return Endpoint{}, fmt.Errorf("redis address %q: every URL of the list must carry the same credentials", Redact(item))
			}
			creds, ep.Username, ep.Password = true, user, pass
		}
		schemeSet, ep.TLS, ep.DB = true, tls, db
		ep.Addrs = append(ep.Addrs, addr)
	}
	if ep.Password == "" && getenv != nil {
		ep.Password = getenv(PasswordEnv)
	}
	return ep, nil
}

// hostPort checks a host[:port] and adds the default port.
func hostPort(s string) (string, error) {
	if s == "" {
		return "", errors.New("no host")
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		// The *net.AddrError quotes the whole address, which may hold a
		// password (u:pw@h:1 without a scheme): only its reason is kept.
		reason := "not host:port"
		if ae, ok := errors.AsType[*net.AddrError](err); ok {
			reason = ae.Err
		}
		if reason == "missing port in address" {
			return net.JoinHostPort(s, "6379"), nil
		}
		return "", fmt.Errorf("want host:port (%s)", reason)
	}
	if host == "" {
		return "", errors.New("no host")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("port %q is not a number in 1-65535", port)
	}
	return s, nil
}

// String returns the endpoint as a comma list of addresses, prefixed by the
// scheme and user when they matter, never with the password.
func (e Endpoint) String() string {
	s := strings.Join(e.Addrs, ",")
	if !e.TLS && e.Username == "" && e.DB == 0 {
		return s
	}
	scheme := "redis://"
	if e.TLS {
		scheme = "rediss://"
	}
	user := ""
	if e.Username != "" {
		user = e.Username + "@"
	}
	db := ""
	if e.DB != 0 {
		db = "/" + strconv.Itoa(e.DB)
	}
	return scheme + user + s + db
}

// Redact returns s, an address list as given to ParseEndpoint, with every
// secret an item may carry replaced by "***": the password of its user
// information (what stands between the first ':' and the last '@'), the value
// of every query parameter (?password=...), and a fragment. It works on
// malformed input too, so error messages can quote what the user typed.
func Redact(s string) string {
	items := strings.Split(s, ",")
	for i, item := range items {
		start := 0
		if j := strings.Index(item, "://"); j >= 0 {
			start = j + 3
		}
		rest := start
		if at := strings.LastIndex(item, "@"); at >= start {
			if user, _, ok := strings.Cut(item[start:at], ":"); ok {
				item = item[:start] + user + ":***" + item[at:]
			}
			rest = strings.LastIndex(item, "@") + 1
		}
		items[i] = item[:rest] + redactQuery(item[rest:])
	}
	return strings.Join(items, ",")
}

// redactQuery replaces the values of a host part's query parameters and its
// fragment by "***": "h:1?password=x&db=2#f" becomes
// "h:1?password=***&db=***#***".
func redactQuery(hostPart string) string {
	hostPart, fragment, hasFragment := strings.Cut(hostPart, "#")
	host, query, hasQuery := strings.Cut(hostPart, "?")
	if hasQuery {
		params := strings.Split(query, "&")
		for i, param := range params {
			if key, _, ok := strings.Cut(param, "="); ok {
				params[i] = key + "=***"
			}
		}
		host += "?" + strings.Join(params, "&")
	}
	switch {
	case hasFragment && fragment != "":
		host += "#***"
	case hasFragment:
		host += "#"
	}
	return host
}

// WithoutPassword splits a valid address list (one ParseEndpoint accepts) into
// the list with every URL's password removed (its user kept) and that
// password, "" when none. A parent hands the list to child processes on their
// command line, which any user can read (ps, /proc/PID/cmdline), and the
// password through PasswordEnv in their environment, which only the same user
// can; ParseEndpoint in the child puts the two together again. Input
// ParseEndpoint refuses is returned unchanged.
func WithoutPassword(s string) (list, password string) {
	ep, err := ParseEndpoint(s, nil)
	if err != nil || ep.Password == "" {
		return s, ""
	}
	items := strings.Split(s, ",")
	for i, item := range items {
		item = strings.TrimSpace(item)
		if !strings.Contains(item, "://") {
			continue
		}
		u, err := url.Parse(item)
		if err != nil || u.User == nil {
			continue
		}
		if name := u.User.Username(); name != "" {
			u.User = url.User(name)
		} else {
			u.User = nil
		}
		items[i] = u.String()
	}
	return strings.Join(items, ","), ep.Password
}
