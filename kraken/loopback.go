package kraken

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// ErrNotLoopback means a loopback base URL (such as http://localhost) named
// a host that resolves to no loopback address: the Client refused to dial
// anywhere else, since signed requests sent elsewhere could be replayed.
var ErrNotLoopback = errors.New("the exchange address resolves to no address on this computer")

// lookupFunc resolves a host name to IP addresses.
type lookupFunc func(ctx context.Context, host string) ([]net.IPAddr, error)

// isLoopback reports whether host is localhost or a loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.EqualFold(host, "localhost.") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loopbackBase reports whether a checked base URL names a loopback host.
func loopbackBase(base string) bool {
	u, err := url.Parse(base)
	return err == nil && isLoopback(u.Hostname())
}

// loopbackTransport returns rt with a dialer that connects to loopback
// addresses only and no proxy, when rt is an *http.Transport or nil (the
// default transport); any other RoundTripper is returned as it is.
func loopbackTransport(rt http.RoundTripper, lookup lookupFunc) http.RoundTripper {
	var t *http.Transport
	switch v := rt.(type) {
	case nil:
		if lookup == nil {
			return sharedLoopback()
		}
		t = http.DefaultTransport.(*http.Transport).Clone()
	case *http.Transport:
		t = v.Clone()
	default:
		return rt
	}
	return withLoopbackDialer(t, lookup)
}

// withLoopbackDialer sets t to dial loopback addresses only, through no
// proxy, resolving names with lookup (the system's resolver when nil).
func withLoopbackDialer(t *http.Transport, lookup lookupFunc) *http.Transport {
	if lookup == nil {
		lookup = net.DefaultResolver.LookupIPAddr
	}
	d := &loopbackDialer{lookup: lookup, dial: (&net.Dialer{Timeout: 30 * time.Second}).DialContext}
	t.DialContext = d.DialContext
	t.DialTLSContext = nil
	t.Proxy = nil
	return t
}

// sharedLoopback is the loopback-only copy of the default transport, one
// per process so that Clients share its connections as they would share
// the default transport's.
var sharedLoopback = sync.OnceValue(func() http.RoundTripper {
	return withLoopbackDialer(http.DefaultTransport.(*http.Transport).Clone(), nil)
})

// loopbackDialer dials a host's loopback addresses (127.0.0.0/8, ::1) and
// nothing else: a name like "localhost" is resolved first, and addresses
// off this computer among the answers are skipped.
type loopbackDialer struct {
	lookup lookupFunc
	dial   func(ctx context.Context, network, addr string) (net.Conn, error)
}

// DialContext connects to the first loopback address of addr's host that
// answers. It returns an error wrapping ErrNotLoopback when the host has
// none.
func (d *loopbackDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	ips, err := d.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	var lastErr error
	for _, ip := range ips {
		if !ip.IsLoopback() {
			continue
		}
		conn, err := d.dial(ctx, network, net.JoinHostPort(ip.String(), port))
		if err == nil {
			return conn, nil
		}
		lastErr = err
	}
	if lastErr != nil {
		return nil, lastErr
	}
	return nil, fmt.Errorf("%w: %s", ErrNotLoopback, Quote(host))
}

// resolve returns host's addresses: itself when it is an IP address.
func (d *loopbackDialer) resolve(ctx context.Context, host string) ([]net.IP, error) {
	if ip := net.ParseIP(host); ip != nil {
		return []net.IP{ip}, nil
	}
	addrs, err := d.lookup(ctx, host)
	if err != nil {
		return nil, err
	}
	ips := make([]net.IP, len(addrs))
	for i, a := range addrs {
		ips[i] = a.IP
	}
	return ips, nil
}
