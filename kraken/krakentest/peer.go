package krakentest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// PeerEncoding is how another program encodes its request body.
type PeerEncoding int

// The request shapes other Kraken clients send.
const (
	// PeerForm is a form body with its Content-Type, as ccxt, krakenex,
	// node-kraken-api and the Go clients send.
	PeerForm PeerEncoding = iota
	// PeerFormNoContentType is a form body without a Content-Type header.
	PeerFormNoContentType
	// PeerJSON is a JSON body with the nonce as a number.
	PeerJSON
)

// PeerRequest is one call another program makes with a key.
type PeerRequest struct {
	Method   string       // the private method, e.g. "Balance"
	Nonce    string       // as the program writes it: 13, 16 or 19 digits
	OTP      string       // the key's 2FA code or password; "" for none
	Params   url.Values   // other parameters
	Encoding PeerEncoding // PeerForm when zero
	Agent    string       // the User-Agent; "peer-client/1.0" when empty
	Client   *http.Client // http.DefaultClient when nil
}

// PeerCall sends r signed with k to the exchange at baseURL (an Exchange's
// URL), the way another program using the same key would, and returns the
// error array of the answer: empty when the call succeeded. It stands for
// the user's bots in tests: a key used by a program that sends nanosecond
// nonces, say. Its signing is this package's own, not package kraken's.
func PeerCall(ctx context.Context, baseURL string, k Key, r PeerRequest) ([]string, error) {
	secret, err := base64.StdEncoding.DecodeString(k.PrivateKey)
	if err != nil {
		return nil, errors.New("krakentest: PeerCall: the private key is not base64")
	}
	body, contentType, err := peerBody(r)
	if err != nil {
		return nil, err
	}
	urlPath := privatePath + r.Method
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(baseURL, "/")+urlPath, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("API-Key", k.APIKey)
	req.Header.Set("API-Sign", base64.StdEncoding.EncodeToString(signature(secret, urlPath, r.Nonce, body)))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	agent := r.Agent
	if agent == "" {
		agent = "peer-client/1.0"
	}
	req.Header.Set("User-Agent", agent)
	hc := r.Client
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var env struct {
		Error []string `json:"error"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&env); err != nil {
		return nil, fmt.Errorf("krakentest: PeerCall: undecodable answer: %w", err)
	}
	return env.Error, nil
}

// peerBody encodes r's body and returns the Content-Type to send with it.
func peerBody(r PeerRequest) ([]byte, string, error) {
	switch r.Encoding {
	case PeerJSON:
		obj := map[string]any{"nonce": json.Number(r.Nonce)}
		if r.OTP != "" {
			obj["otp"] = r.OTP
		}
		for k := range r.Params {
			obj[k] = r.Params.Get(k)
		}
		b, err := json.Marshal(obj)
		return b, "application/json", err
	case PeerForm, PeerFormNoContentType:
		v := url.Values{}
		for k, vs := range r.Params {
			v[k] = vs
		}
		body := "nonce=" + url.QueryEscape(r.Nonce)
		if r.OTP != "" {
			body += "&otp=" + url.QueryEscape(r.OTP)
		}
		if enc := v.Encode(); enc != "" {
			body += "&" + enc
		}
		if r.Encoding == PeerFormNoContentType {
			return []byte(body), "", nil
		}
		return []byte(body), "application/x-www-form-urlencoded", nil
	}
	return nil, "", fmt.Errorf("krakentest: PeerCall: unknown encoding %d", r.Encoding)
}
