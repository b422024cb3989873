package check

import (
	"errors"
	"net"
	"net/url"
	"strings"
)

// EnvKrakenURL names the environment variable that points Keywarden at
// another exchange address, on this computer only (tests, the demo).
const EnvKrakenURL = "KEYWARDEN_KRAKEN_URL"

// ErrNotLoopback is returned by BaseURLFromEnv for an address that is not on
// this computer.
var ErrNotLoopback = errors.New(EnvKrakenURL + " may only point at this computer (it is for tests and the demo): unset it to talk to Kraken")

// BaseURLFromEnv returns the exchange address set in KEYWARDEN_KRAKEN_URL,
// or "" for the real exchange. Only addresses on this computer are allowed:
// any other could collect signed requests and replay them to Kraken. For a
// name such as localhost, the kraken client then dials loopback addresses
// only (127.0.0.0/8, ::1), whatever the name resolves to, so a changed
// hosts file cannot send the requests elsewhere.
func BaseURLFromEnv(getenv func(string) string) (string, error) {
	v := strings.TrimSpace(getenv(EnvKrakenURL))
	if v == "" {
		return "", nil
	}
	if !loopbackURL(v) {
		return "", ErrNotLoopback
	}
	return v, nil
}

// loopbackURL reports whether raw is an http or https address on this
// computer.
func loopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
