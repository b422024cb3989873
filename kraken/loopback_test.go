package kraken_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/keywarden/keywarden/kraken"
)

// mappedLookup resolves every name to addrs, as a tampered hosts file or
// resolver would, and records the names asked for.
type mappedLookup struct {
	mu    sync.Mutex
	addrs []string
	asked []string
}

func (m *mappedLookup) lookup(_ context.Context, host string) ([]net.IPAddr, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.asked = append(m.asked, host)
	var out []net.IPAddr
	for _, a := range m.addrs {
		out = append(out, net.IPAddr{IP: net.ParseIP(a)})
	}
	return out, nil
}

// localhostURL is the fake exchange's URL with its IP replaced by a name.
func localhostURL(t *testing.T, f *fakeExchange) string {
	t.Helper()
	u, err := url.Parse(f.URL())
	if err != nil {
		t.Fatal(err)
	}
	u.Host = "localhost:" + u.Port()
	return u.String()
}

func TestClient_loopbackOnly(t *testing.T) {
	tests := []struct {
		name      string
		resolves  []string
		transport http.RoundTripper
		wantErr   error // nil: the call reaches the exchange
	}{
		{"localhost resolving to loopback is dialled", []string{"127.0.0.1"}, nil, nil},
		{"localhost resolving elsewhere is refused", []string{"10.0.0.1"}, nil, kraken.ErrNotLoopback},
		{"localhost resolving to a public address is refused", []string{"203.0.113.7"}, nil, kraken.ErrNotLoopback},
		{"only the loopback address of a mixed answer is dialled", []string{"10.0.0.1", "127.0.0.1"}, nil, nil},
		{"a caller's *http.Transport gets the same dialer", []string{"10.0.0.1"}, &http.Transport{}, kraken.ErrNotLoopback},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := newFakeExchange(t, func(request) (int, string) { return ok(documentedKeyInfo) })
			m := &mappedLookup{addrs: tt.resolves}
			opts := []kraken.Option{kraken.WithBaseURL(localhostURL(t, ex)), kraken.WithLookup(m.lookup)}
			if tt.transport != nil {
				opts = append(opts, kraken.WithHTTPClient(&http.Client{Transport: tt.transport}))
			}
			_, err := newTestClient(t, ex, opts...).APIKeyInfo(t.Context(), "")
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("APIKeyInfo error = %v, want %v", err, tt.wantErr)
			}
			if len(m.asked) == 0 || m.asked[0] != "localhost" {
				t.Errorf("names resolved = %q, want localhost through the dialer", m.asked)
			}
			if wantCalls := map[bool]int{true: 1, false: 0}[tt.wantErr == nil]; len(ex.Requests()) != wantCalls {
				t.Errorf("the exchange got %d calls, want %d", len(ex.Requests()), wantCalls)
			}
			if err != nil && !strings.Contains(kraken.UserMessage(err), "127.0.0.1") {
				t.Errorf("UserMessage = %q, want it to say what to use", kraken.UserMessage(err))
			}
		})
	}
	t.Run("a loopback IP address is dialled without resolving", func(t *testing.T) {
		ex := newFakeExchange(t, func(request) (int, string) { return ok(documentedKeyInfo) })
		m := &mappedLookup{addrs: []string{"10.0.0.1"}}
		if _, err := newTestClient(t, ex, kraken.WithLookup(m.lookup)).APIKeyInfo(t.Context(), ""); err != nil {
			t.Fatal(err)
		}
		if len(m.asked) != 0 {
			t.Errorf("resolved %q for an IP address", m.asked)
		}
	})
}
