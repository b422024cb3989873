package kraken

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// APIKeyInfo asks the exchange what the Client's key is and what it may do
// (GetApiKeyInfo, which needs no permission). otp is the key's 2FA code and
// is sent only when non-empty. When the exchange does not offer the call,
// the error matches ErrUnknownMethod: then use Probe.
//
// If the call must first wait for the rate counter, a time-based code can
// expire meanwhile; RateCounter().Delay tells beforehand.
func (c *Client) APIKeyInfo(ctx context.Context, otp string) (*KeyInfo, error) {
	result, sent, err := c.callSent(ctx, "GetApiKeyInfo", func() string { return otp })
	if err != nil {
		return nil, err
	}
	info, err := ParseKeyInfo(result)
	if err != nil {
		return nil, fmt.Errorf("kraken GetApiKeyInfo: %w", err)
	}
	info.SentNonce = sent
	return info, nil
}

// keyInfoJSON is GetApiKeyInfo's result as documented. Numbers that the
// exchange sends as strings are read as raw JSON and accepted either way.
type keyInfoJSON struct {
	Name         string          `json:"apiKeyName"`
	APIKey       string          `json:"apiKey"`
	Nonce        json.RawMessage `json:"nonce"`
	NonceWindow  json.RawMessage `json:"nonceWindow"`
	Permissions  *[]Permission   `json:"permissions"`
	IBAN         string          `json:"iban"`
	ValidUntil   json.RawMessage `json:"validUntil"`
	QueryFrom    json.RawMessage `json:"queryFrom"`
	QueryTo      json.RawMessage `json:"queryTo"`
	CreatedTime  json.RawMessage `json:"createdTime"`
	ModifiedTime json.RawMessage `json:"modifiedTime"`
	IPAllowlist  []string        `json:"ipAllowlist"`
	LastUsed     json.RawMessage `json:"lastUsed"`
}

// ParseKeyInfo reads the result object of GetApiKeyInfo (the value of
// "result", not the whole {"error":…,"result":…} envelope).
//
// Timestamps are Unix seconds as strings (plain numbers are accepted too);
// "0", "" and null read as the zero time. nonce is a string holding an
// unsigned integer, nonceWindow an integer. Permission codes are kept as
// sent, unknown ones included. The permissions array must be present: a
// result without it cannot say the key is harmless. Errors wrap
// ErrBadResponse and name the field at fault, never its value.
func ParseKeyInfo(data []byte) (*KeyInfo, error) {
	var raw keyInfoJSON
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrBadResponse, describeJSONError(err))
	}
	if raw.Permissions == nil {
		return nil, fmt.Errorf("%w: field permissions is missing", ErrBadResponse)
	}
	info := &KeyInfo{
		Name:        raw.Name,
		APIKey:      raw.APIKey,
		Permissions: append([]Permission{}, (*raw.Permissions)...),
		IBAN:        raw.IBAN,
		IPAllowlist: append([]string{}, raw.IPAllowlist...),
	}

	nonce, err := parseUint("nonce", raw.Nonce, 1<<64-1)
	if err != nil {
		return nil, err
	}
	info.Nonce = nonce
	window, err := parseUint("nonceWindow", raw.NonceWindow, 1<<31-1)
	if err != nil {
		return nil, err
	}
	info.NonceWindow = int(window)

	for _, f := range []struct {
		name string
		raw  json.RawMessage
		dst  *time.Time
	}{
		{"validUntil", raw.ValidUntil, &info.ValidUntil},
		{"queryFrom", raw.QueryFrom, &info.QueryFrom},
		{"queryTo", raw.QueryTo, &info.QueryTo},
		{"createdTime", raw.CreatedTime, &info.Created},
		{"modifiedTime", raw.ModifiedTime, &info.Modified},
		{"lastUsed", raw.LastUsed, &info.LastUsed},
	} {
		secs, err := parseUint(f.name, f.raw, maxUnixSeconds-1)
		if err != nil {
			return nil, err
		}
		if secs != 0 {
			*f.dst = time.Unix(int64(secs), 0).UTC()
		}
	}
	return info, nil
}

// parseUint reads an unsigned integer sent as a JSON string or number, at
// most limit. Absent, null and "" read as 0.
func parseUint(field string, raw json.RawMessage, limit uint64) (uint64, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return 0, nil
	}
	text := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &text); err != nil {
			return 0, fmt.Errorf("%w: field %s is not a valid string", ErrBadResponse, field)
		}
		if text == "" {
			return 0, nil
		}
	}
	n, err := strconv.ParseUint(text, 10, 64)
	if err != nil || n > limit {
		return 0, fmt.Errorf("%w: field %s is not a whole number in range", ErrBadResponse, field)
	}
	return n, nil
}
