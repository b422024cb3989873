package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// readLine returns the next line of stdin without surrounding spaces, or
// io.EOF when there is none.
func (e *env) readLine() (string, error) {
	line, err := e.in.ReadString('\n')
	if err != nil && (!errors.Is(err, io.EOF) || line == "") {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

// terminal returns stdin's file descriptor when stdin is a terminal.
func (e *env) terminal() (int, bool) {
	f, ok := e.stdin.(*os.File)
	if !ok || f == nil {
		return 0, false
	}
	fd := int(f.Fd())
	return fd, isTerminal(fd)
}

// interactive reports whether a person is at the keyboard.
func (e *env) interactive() bool {
	_, ok := e.terminal()
	return ok
}

// readSecret returns one secret line: on a terminal it asks with prompt
// and reads without echo; otherwise it takes the next line of stdin. what
// names the value in errors ("the API key"). The value is never printed.
func (e *env) readSecret(prompt, what string) (string, error) {
	if fd, ok := e.terminal(); ok {
		// The prompt comes once echo is off, so nothing typed after it
		// is ever shown.
		s, err := readNoEcho(fd, e.in, func() { fmt.Fprint(e.errw, prompt) })
		fmt.Fprintln(e.errw) // the Enter that was not echoed
		if err != nil {
			return "", &userError{msg: "Could not read " + what + " from the terminal. Try again, or pipe the values on standard input.", err: err}
		}
		return strings.TrimSpace(s), nil
	}
	s, err := e.readLine()
	if err != nil {
		return "", &userError{msg: fmt.Sprintf("Standard input ended before %s. Give the API key and the private key as two lines on standard input (never as arguments), or run on a terminal to be asked for them.", what), err: err}
	}
	return s, nil
}

// ask shows prompt and returns the answer, echoed as typed; for questions
// on a terminal only.
func (e *env) ask(prompt string) (string, error) {
	fmt.Fprint(e.errw, prompt)
	return e.readLine()
}

// The environment variables that carry codes, for scripts. Unlike an
// argument, which every user of the computer can read in the process list
// (/proc/PID/cmdline), a process's environment is readable by its own user
// only.
const (
	EnvOTP     = "KEYWARDEN_OTP"      // a key's current 2FA code
	EnvAppCode = "KEYWARDEN_APP_CODE" // the app 2FA code
)

// readStdinArg is the --otp value that means "the next line of standard
// input".
const readStdinArg = "-"

// flagCode returns the value of an --otp flag as given, warning when it is
// a code: other users can read it in the process list. "-" (read the code
// from standard input) and "" pass without a warning.
func (e *env) flagCode(flagValue string) string {
	flagValue = strings.TrimSpace(flagValue)
	if flagValue != "" && flagValue != readStdinArg {
		e.say("keywarden: warning: a code given with --otp can be read by every user of this computer while Keywarden runs (in the process list). Type it when asked, pipe it in with --otp -, or set %s instead.", EnvOTP)
	}
	return flagValue
}

// keyCode returns a key's 2FA code from the value of an --otp flag (see
// flagCode), else from $KEYWARDEN_OTP; "" when neither gives one (the
// command may then ask on the terminal with askCode). "--otp -" reads the
// next line of standard input.
func (e *env) keyCode(flagValue string) (string, error) {
	switch v := e.flagCode(flagValue); v {
	case "":
		return strings.TrimSpace(e.getenv(EnvOTP)), nil
	case readStdinArg:
		s, err := e.readLine()
		if err != nil || s == "" {
			return "", usageErr("--otp - reads the 2FA code from standard input, but there was none. Pipe the code in, or set %s.", EnvOTP)
		}
		return s, nil
	default:
		return v, nil
	}
}

// askCode asks for a code on the terminal, without echo: a 2FA code is
// short-lived, but it still need not show on screen or in a recording.
// Without a terminal it takes the next line of standard input. It returns
// "" (no error) when nothing was typed.
func (e *env) askCode(prompt string) (string, error) {
	if fd, ok := e.terminal(); ok {
		s, err := readNoEcho(fd, e.in, func() { fmt.Fprint(e.errw, prompt) })
		fmt.Fprintln(e.errw)
		if err != nil {
			return "", &userError{msg: "Could not read the code from the terminal. Try again.", err: err}
		}
		return strings.TrimSpace(s), nil
	}
	s, err := e.readLine()
	if errors.Is(err, io.EOF) {
		return "", nil
	}
	return s, err
}
