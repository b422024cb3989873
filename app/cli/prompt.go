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
