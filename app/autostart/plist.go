package autostart

import (
	"bytes"
	"encoding/xml"
)

// renderPlist returns a LaunchAgent that runs exe with args at login, in the
// user's graphical session only.
func renderPlist(exe string, args []string) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n")
	b.WriteString("<plist version=\"1.0\">\n<dict>\n")
	b.WriteString("\t<key>Label</key>\n")
	plistString(&b, "\t", ID)
	b.WriteString("\t<key>ProgramArguments</key>\n\t<array>\n")
	for _, s := range append([]string{exe}, args...) {
		plistString(&b, "\t\t", s)
	}
	b.WriteString("\t</array>\n")
	b.WriteString("\t<key>RunAtLoad</key>\n\t<true/>\n")
	b.WriteString("\t<key>LimitLoadToSessionType</key>\n")
	plistString(&b, "\t", "Aqua")
	b.WriteString("\t<key>ProcessType</key>\n")
	plistString(&b, "\t", "Interactive")
	b.WriteString("</dict>\n</plist>\n")
	return b.Bytes()
}

func plistString(b *bytes.Buffer, indent, s string) {
	b.WriteString(indent + "<string>")
	_ = xml.EscapeText(b, []byte(s)) // a bytes.Buffer does not fail
	b.WriteString("</string>\n")
}
