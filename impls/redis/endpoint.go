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
			addr, err := hostPort(item)
			if err != nil {
				return Endpoint{}, fmt.Errorf("redis address %q: %v", Redact(item), err)
			}
			ep.Addrs = append(ep.Addrs, addr)
			continue
		}
		u, err := url.Parse(item)
		if err != nil {
			// url.Parse quotes its whole input, password included: say only what
			// kind of mistake it was.
			if ue, ok := errors.AsType[*url.Error](err); ok {
				err = ue.Err
			}
			return Endpoint{}, fmt.Errorf("redis address %q: not a URL: %v", Redact(item), err)
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
		if strings.Contains(err.Error(), "missing port") {
			return net.JoinHostPort(s, "6379"), nil
		}
		return "", fmt.Errorf("want host:port: %v", err)
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

// Redact returns s, an address list as given to ParseEndpoint, with the
// password of every URL item replaced by "***". It works on malformed input
// too, so error messages can quote what the user typed.
func Redact(s string) string {
	items := strings.Split(s, ",")
	for i, item := range items {
		at := strings.LastIndex(item, "@")
		if at < 0 {
			continue
		}
		start := 0
		if j := strings.Index(item, "://"); j >= 0 && j < at {
			start = j + 3
		}
		if user, _, ok := strings.Cut(item[start:at], ":"); ok {
			items[i] = item[:start] + user + ":***" + item[at:]
		}
	}
	return strings.Join(items, ",")
}
