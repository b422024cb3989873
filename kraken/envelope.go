package kraken

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// envelope is every answer of the REST API: a non-empty error array is a
// failure, otherwise result holds the answer.
type envelope struct {
	Error  []string        `json:"error"`
	Result json.RawMessage `json:"result"`
}

// parseEnvelope returns the result object of a successful answer, an
// *APIError for a non-empty error array, or an error wrapping ErrBadResponse.
// scrub removes secrets from the exchange's messages before they are kept.
func parseEnvelope(method string, data []byte, scrub func(string) string) ([]byte, error) {
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil {
		return nil, fmt.Errorf("kraken %s: %w: %s", method, ErrBadResponse, describeJSONError(err))
	}
	if len(env.Error) > 0 {
		return nil, newAPIError(method, env.Error, scrub)
	}
	if len(env.Result) == 0 || bytes.Equal(env.Result, []byte("null")) {
		return nil, fmt.Errorf("kraken %s: %w: the answer has neither an error nor a result", method, ErrBadResponse)
	}
	return env.Result, nil
}

// maxMessages is how many of the exchange's error strings an APIError keeps.
const maxMessages = 4

// newAPIError classifies the exchange's error strings by the first one it
// knows, and keeps them as exchangeWords (at most maxMessages; a note says
// how many more there were).
func newAPIError(method string, msgs []string, scrub func(string) string) *APIError {
	apiErr := &APIError{Method: method}
	for i, msg := range msgs {
		if i < maxMessages {
			apiErr.Messages = append(apiErr.Messages, exchangeWords(msg, scrub))
		}
		if apiErr.kind == nil {
			apiErr.kind = classify(msg)
			if apiErr.kind == ErrThrottled {
				apiErr.RetryAfter = retryAfter(msg)
			}
		}
	}
	if extra := len(msgs) - maxMessages; extra > 0 {
		apiErr.Messages = append(apiErr.Messages, fmt.Sprintf("and %d more", extra))
	}
	return apiErr
}

// exchangeWords is what Keywarden keeps of one of the exchange's error
// strings. A string it knows (KnownErrors) keeps its catalogue prefix as
// it is, so no scrubbing can garble it; the rest, and a string it does not
// know, is scrubbed of the request's secrets (scrub), loses every long run
// of characters that could encode one (dropOpaque: no error Keywarden
// knows needs one, and a run cut short or encoded some other way would
// slip past the scrubber), and is blanked and capped (Quote).
func exchangeWords(msg string, scrub func(string) string) string {
	code := knownPrefix(msg)
	return Quote(code + dropOpaque(scrub(msg[len(code):])))
}

// retryAfter reads the time in "EService: Throttled: <unix seconds>", or
// returns the zero time.
func retryAfter(msg string) time.Time {
	i := strings.LastIndexByte(msg, ':')
	if i < 0 {
		return time.Time{}
	}
	ts, err := strconv.ParseInt(strings.TrimSpace(msg[i+1:]), 10, 64)
	if err != nil || ts <= 0 || ts > maxUnixSeconds {
		return time.Time{}
	}
	return time.Unix(ts, 0)
}

// maxUnixSeconds is the start of the year 10000: later times are refused.
const maxUnixSeconds = 253402300800

// describeJSONError says what is wrong with an answer without quoting it:
// encoding/json's own messages can contain values from the answer.
func describeJSONError(err error) string {
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntaxErr):
		return fmt.Sprintf("the answer is not JSON (at byte %d)", syntaxErr.Offset)
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return fmt.Sprintf("field %s has the wrong type", typeErr.Field)
	case errors.As(err, &typeErr):
		return "the answer is not a JSON object"
	}
	return "the answer is not the documented JSON"
}
