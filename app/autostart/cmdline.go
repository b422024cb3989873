package autostart

import "strings"

// windowsCommandLine returns the command line for the Run registry key: the
// program path always in quotes (Windows reads the first word up to the
// closing quote, with no escapes, and a path cannot hold a quote), then each
// argument quoted as CommandLineToArgvW and the C runtime expect.
func windowsCommandLine(exe string, args []string) string {
	var b strings.Builder
	b.WriteString(`"` + exe + `"`)
	for _, a := range args {
		b.WriteByte(' ')
		b.WriteString(windowsArg(a))
	}
	return b.String()
}

// windowsArg quotes one argument: backslashes are literal except before a
// quote, where 2n backslashes + quote stand for n backslashes and a closing
// quote, and 2n+1 backslashes + quote for n backslashes and a quote.
func windowsArg(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n\v\"") {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	slashes := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\':
			slashes++
		case '"':
			b.WriteString(strings.Repeat(`\`, slashes+1))
			slashes = 0
		default:
			slashes = 0
		}
		b.WriteByte(c)
	}
	b.WriteString(strings.Repeat(`\`, slashes)) // so the closing quote stays a quote
	b.WriteByte('"')
	return b.String()
}
