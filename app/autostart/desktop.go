package autostart

import "strings"

// renderDesktop returns the XDG autostart entry that runs exe with args.
func renderDesktop(exe string, args []string) []byte {
	var b strings.Builder
	b.WriteString("[Desktop Entry]\n")
	b.WriteString("Type=Application\n")
	b.WriteString("Name=Keywarden\n")
	b.WriteString("Comment=Keeps your Kraken API keys safe and reminds you when one is due for review\n")
	b.WriteString("Exec=" + desktopExec(exe, args) + "\n")
	b.WriteString("Icon=" + ID + "\n")
	b.WriteString("Terminal=false\n")
	b.WriteString("X-GNOME-Autostart-enabled=true\n")
	return []byte(b.String())
}

// desktopExec returns the value of an Exec key that runs exe with args,
// following the Desktop Entry Specification: an argument holding a reserved
// character is double-quoted, with " ` $ \ escaped by a backslash inside the
// quotes; a literal % is written %%; then the whole value gets the escapes
// of a string value (\\ \n \t \r), so a literal backslash in a quoted
// argument ends up as four.
func desktopExec(exe string, args []string) string {
	words := make([]string, 0, 1+len(args))
	for _, s := range append([]string{exe}, args...) {
		words = append(words, quoteExecArg(s))
	}
	return escapeDesktopString(strings.Join(words, " "))
}

// execReserved are the characters that make an Exec argument need quotes.
const execReserved = " \t\n\"'\\><~|&;$*?#()`"

func quoteExecArg(s string) string {
	s = strings.ReplaceAll(s, "%", "%%")
	if s != "" && !strings.ContainsAny(s, execReserved) {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '`', '$', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

func escapeDesktopString(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\t", `\t`, "\r", `\r`).Replace(s)
}
