package kraken

import (
	"context"
	"net"
)

// WithLookup makes the loopback-only dialer resolve names with lookup, so
// tests can map a name to any address.
func WithLookup(lookup func(ctx context.Context, host string) ([]net.IPAddr, error)) Option {
	return func(c *config) { c.lookup = lookup }
}

// MaxScrubbed is how much of a text the scrubber looks at.
const MaxScrubbed = maxScrubbed
