package krakentest

import (
	"net/http"
	"slices"
)

// AnyMethod makes InjectFault and FailWith apply to every method that has no
// fault of its own.
const AnyMethod = "*"

// FaultRequest is what a Fault sees of a request.
type FaultRequest struct {
	Method string      // the private method, e.g. "Balance"
	Header http.Header // a copy of the request's headers
	Body   []byte      // the body exactly as received
}

// Fault returns the error strings the exchange answers instead of its own;
// none means the exchange answers as usual.
type Fault func(r FaultRequest) []string

// InjectFault makes the exchange answer calls of method (or AnyMethod) with
// what f returns, from now on. The fault answers after the request's method
// and User-Agent are checked and before its key is looked at: the call is
// recorded but uses no nonce, counts nothing and never locks the key out.
// A nil f removes the method's fault. It is how tests make the exchange say
// what it rarely says: "EGeneral:Too many requests", "ETrade:User Locked",
// an error echoing the request, a three-megabyte error string...
func (e *Exchange) InjectFault(method string, f Fault) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if f == nil {
		delete(e.faults, method)
		return
	}
	if e.faults == nil {
		e.faults = make(map[string]Fault)
	}
	e.faults[method] = f
}

// FailWith makes the exchange answer every call of method (or AnyMethod)
// with the error strings msgs, from now on; no msgs removes the fault.
func (e *Exchange) FailWith(method string, msgs ...string) {
	if len(msgs) == 0 {
		e.InjectFault(method, nil)
		return
	}
	msgs = slices.Clone(msgs)
	e.InjectFault(method, func(FaultRequest) []string { return msgs })
}

// fault returns the injected answer for a call, or nil.
func (e *Exchange) fault(method string, r *http.Request, body []byte) []string {
	e.mu.Lock()
	f, ok := e.faults[method]
	if !ok {
		f = e.faults[AnyMethod]
	}
	e.mu.Unlock()
	if f == nil {
		return nil
	}
	return f(FaultRequest{Method: method, Header: r.Header.Clone(), Body: slices.Clone(body)})
}
