package autostart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// commands are the program paths and arguments every renderer must carry
// through unchanged; they also seed the fuzz tests.
var commands = []struct {
	name string
	exe  string
	args []string
}{
	{"plain", "/usr/bin/keywarden", []string{"tray"}},
	{"no arguments", "/opt/keywarden/keywarden", nil},
	{"space and quote in the path", `/home/ann/My Apps/key"warden/keywarden`, []string{"tray"}},
	{"shell characters", "/home/ann/a$b`c\\d'e/f&g|h;i<j>k(l)m*n?o#p~q", []string{"a b", "$HOME", "`id`"}},
	{"percent signs", "/home/ann/100%/kw", []string{"%u", "%%", "50%"}},
	{"backslashes before a quote", `/srv/a\b\\c`, []string{`x\"y`, `trailing\`, `\\`}},
	{"empty argument", "/usr/bin/keywarden", []string{""}},
	{"XML characters", "/Users/ann/<&>/]]>/keywarden", []string{`"'`}},
	{"non-ASCII", "/home/zoë/Программы/鍵/keywarden", []string{"tray", "é"}},
	{"equals and brackets", "/usr/bin/key=warden", []string{"[Desktop Entry]", "a=b"}},
}

// parseExec reads an Exec value back as the Desktop Entry Specification
// describes: the string escapes first, then the quoting, then %%. A field
// code (a % followed by anything but %) is an error, since Keywarden never
// writes one.
func parseExec(value string) ([]string, error) {
	var un strings.Builder
	for i := 0; i < len(value); i++ {
		c := value[i]
		if c != '\\' {
			un.WriteByte(c)
			continue
		}
		if i++; i == len(value) {
			return nil, errors.New("string ends in a backslash")
		}
		switch value[i] {
		case 's':
			un.WriteByte(' ')
		case 'n':
			un.WriteByte('\n')
		case 't':
			un.WriteByte('\t')
		case 'r':
			un.WriteByte('\r')
		case '\\':
			un.WriteByte('\\')
		default:
			return nil, fmt.Errorf("unknown string escape \\%c", value[i])
		}
	}
	s := un.String()
	var args []string
	var cur strings.Builder
	inArg, quoted := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '\\':
			if i++; i == len(s) || !strings.ContainsRune("\"`$\\", rune(s[i])) {
				return nil, fmt.Errorf("bad escape in quoted argument at %d", i)
			}
			cur.WriteByte(s[i])
		case quoted && c == '"':
			quoted = false
		case quoted:
			cur.WriteByte(c)
		case c == ' ':
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		case c == '"':
			if inArg {
				return nil, errors.New("quote inside an argument")
			}
			inArg, quoted = true, true
		case strings.IndexByte(execReserved, c) >= 0:
			return nil, fmt.Errorf("reserved character %q outside quotes", c)
		default:
			inArg = true
			cur.WriteByte(c)
		}
	}
	if quoted {
		return nil, errors.New("unterminated quote")
	}
	if inArg {
		args = append(args, cur.String())
	}
	for i, a := range args {
		var b strings.Builder
		for j := 0; j < len(a); j++ {
			if a[j] != '%' {
				b.WriteByte(a[j])
				continue
			}
			if j++; j == len(a) || a[j] != '%' {
				return nil, fmt.Errorf("field code in argument %q", a)
			}
			b.WriteByte('%')
		}
		args[i] = b.String()
	}
	return args, nil
}

// parseDesktop returns the keys of the [Desktop Entry] group, failing on
// anything a desktop-file parser would reject.
func parseDesktop(t *testing.T, data []byte) map[string]string {
	t.Helper()
	keys := map[string]string{}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if lines[0] != "[Desktop Entry]" {
		t.Fatalf("first line %q, want [Desktop Entry]", lines[0])
	}
	for _, line := range lines[1:] {
		k, v, ok := strings.Cut(line, "=")
		if !ok || k == "" || strings.TrimSpace(k) != k {
			t.Fatalf("malformed line %q", line)
		}
		if _, dup := keys[k]; dup {
			t.Fatalf("key %s appears twice", k)
		}
		keys[k] = v
	}
	return keys
}

func TestRenderDesktop(t *testing.T) {
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			keys := parseDesktop(t, renderDesktop(c.exe, c.args))
			for k, want := range map[string]string{
				"Type":                      "Application",
				"Name":                      "Keywarden",
				"Icon":                      "io.github.keywarden.Keywarden",
				"X-GNOME-Autostart-enabled": "true",
				"Terminal":                  "false",
			} {
				if got := keys[k]; got != want {
					t.Errorf("%s=%q, want %q", k, got, want)
				}
			}
			if keys["Comment"] == "" {
				t.Error("no Comment")
			}
			got, err := parseExec(keys["Exec"])
			if err != nil {
				t.Fatalf("Exec=%s: %v", keys["Exec"], err)
			}
			if want := append([]string{c.exe}, c.args...); !slices.Equal(got, want) {
				t.Errorf("Exec=%s\nparses to %q\nwant       %q", keys["Exec"], got, want)
			}
		})
	}
}

func TestDesktopExec(t *testing.T) {
	tests := []struct {
		exe  string
		args []string
		want string
	}{
		{"/usr/bin/keywarden", []string{"tray"}, `/usr/bin/keywarden tray`},
		{"/home/ann/My Apps/kw", []string{"tray"}, `"/home/ann/My Apps/kw" tray`},
		{`/a"b/kw`, nil, `"/a\\"b/kw"`},
		{`/a\b/kw`, nil, `"/a\\\\b/kw"`},
		{"/a$b/kw", nil, `"/a\\$b/kw"`},
		{"/100%/kw", []string{"%f"}, `/100%%/kw %%f`},
		{"/kw", []string{""}, `/kw ""`},
	}
	for _, tt := range tests {
		if got := desktopExec(tt.exe, tt.args); got != tt.want {
			t.Errorf("desktopExec(%q, %q) = %s, want %s", tt.exe, tt.args, got, tt.want)
		}
	}
}

func FuzzDesktopExec(f *testing.F) {
	for _, c := range commands {
		f.Add(c.exe, strings.Join(c.args, "\x00"))
	}
	f.Fuzz(func(t *testing.T, exe, joined string) {
		args := strings.Split(joined, "\x00")
		exe = "/" + exe
		if checkCommand(exe, args) != nil {
			t.Skip()
		}
		value := desktopExec(exe, args)
		if strings.ContainsAny(value, "\n\r") {
			t.Fatalf("Exec value %q spans lines", value)
		}
		got, err := parseExec(value)
		if err != nil {
			t.Fatalf("Exec=%s: %v", value, err)
		}
		if want := append([]string{exe}, args...); !slices.Equal(got, want) {
			t.Fatalf("Exec=%s parses to %q, want %q", value, got, want)
		}
	})
}

// plistDoc is the part of a LaunchAgent the tests read back.
type plistDoc struct {
	Version string `xml:"version,attr"`
	Dict    struct {
		Items []struct {
			XMLName xml.Name
			Value   string   `xml:",chardata"`
			Strings []string `xml:"string"`
		} `xml:",any"`
	} `xml:"dict"`
}

func TestRenderPlist(t *testing.T) {
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			data := renderPlist(c.exe, c.args)
			if !bytes.HasPrefix(data, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
				t.Errorf("no XML header:\n%s", data)
			}
			var doc plistDoc
			dec := xml.NewDecoder(bytes.NewReader(data))
			dec.Strict = true
			if err := dec.Decode(&doc); err != nil {
				t.Fatalf("not well-formed XML: %v\n%s", err, data)
			}
			for {
				tok, err := dec.Token()
				if err == io.EOF {
					break
				}
				if cd, ok := tok.(xml.CharData); err != nil || !ok || len(bytes.TrimSpace(cd)) > 0 {
					t.Fatalf("content after </plist>: %v %v", tok, err)
				}
			}
			got := map[string]any{}
			items := doc.Dict.Items
			for i := 0; i+1 < len(items); i += 2 {
				if items[i].XMLName.Local != "key" {
					t.Fatalf("item %d is <%s>, want <key>", i, items[i].XMLName.Local)
				}
				v := items[i+1]
				switch v.XMLName.Local {
				case "string":
					got[items[i].Value] = v.Value
				case "true", "false":
					got[items[i].Value] = v.XMLName.Local == "true"
				case "array":
					got[items[i].Value] = v.Strings
				default:
					t.Fatalf("unexpected <%s>", v.XMLName.Local)
				}
			}
			if len(items)%2 != 0 {
				t.Fatalf("%d items in <dict>, want pairs", len(items))
			}
			if got["Label"] != ID {
				t.Errorf("Label = %v, want %s", got["Label"], ID)
			}
			if got["RunAtLoad"] != true {
				t.Errorf("RunAtLoad = %v, want true", got["RunAtLoad"])
			}
			if pa, _ := got["ProgramArguments"].([]string); !slices.Equal(pa, append([]string{c.exe}, c.args...)) {
				t.Errorf("ProgramArguments = %q, want %q", pa, append([]string{c.exe}, c.args...))
			}
		})
	}
}

// parseWindowsCommandLine splits a command line as CommandLineToArgvW does:
// the program name up to the closing quote, then the arguments with the
// backslash-and-quote rules.
func parseWindowsCommandLine(s string) []string {
	var args []string
	if strings.HasPrefix(s, `"`) {
		end := strings.IndexByte(s[1:], '"') + 1
		args = append(args, s[1:end])
		s = s[end+1:]
	} else {
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			end = len(s)
		}
		args = append(args, s[:end])
		s = s[end:]
	}
	var cur strings.Builder
	inArg, quoted := false, false
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\':
			n := 0
			for i < len(s) && s[i] == '\\' {
				n++
				i++
			}
			inArg = true
			if i < len(s) && s[i] == '"' {
				cur.WriteString(strings.Repeat(`\`, n/2))
				if n%2 == 1 {
					cur.WriteByte('"')
					i++
				}
				continue
			}
			cur.WriteString(strings.Repeat(`\`, n))
			continue
		case c == '"':
			inArg = true
			quoted = !quoted
		case (c == ' ' || c == '\t') && !quoted:
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			inArg = true
			cur.WriteByte(c)
		}
		i++
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args
}

func TestWindowsCommandLine(t *testing.T) {
	tests := []struct {
		exe  string
		args []string
		want string
	}{
		{`C:\Program Files\Keywarden\keywarden.exe`, []string{"tray"}, `"C:\Program Files\Keywarden\keywarden.exe" tray`},
		{`C:\kw.exe`, nil, `"C:\kw.exe"`},
		{`C:\kw.exe`, []string{"a b", ""}, `"C:\kw.exe" "a b" ""`},
		{`C:\kw.exe`, []string{`a"b`}, `"C:\kw.exe" "a\"b"`},
		{`C:\kw.exe`, []string{`a\\"b`}, `"C:\kw.exe" "a\\\\\"b"`},
		{`C:\kw.exe`, []string{`C:\dir with space\`}, `"C:\kw.exe" "C:\dir with space\\"`},
		{`C:\kw.exe`, []string{`C:\dir\`}, `"C:\kw.exe" C:\dir\`},
	}
	for _, tt := range tests {
		got := windowsCommandLine(tt.exe, tt.args)
		if got != tt.want {
			t.Errorf("windowsCommandLine(%q, %q) = %s, want %s", tt.exe, tt.args, got, tt.want)
		}
		if back := parseWindowsCommandLine(got); !slices.Equal(back, append([]string{tt.exe}, tt.args...)) {
			t.Errorf("%s parses to %q", got, back)
		}
	}
	for _, c := range commands {
		if strings.Contains(c.exe, `"`) {
			continue // a Windows path cannot hold a quote; enable refuses it
		}
		got := windowsCommandLine(c.exe, c.args)
		if back := parseWindowsCommandLine(got); !slices.Equal(back, append([]string{c.exe}, c.args...)) {
			t.Errorf("%s: %s parses to %q", c.name, got, back)
		}
	}
}

func TestCheckCommand(t *testing.T) {
	absExe := "/usr/bin/keywarden"
	if runtime.GOOS == "windows" {
		absExe = `C:\Program Files\Keywarden\keywarden.exe`
	}
	tests := []struct {
		name string
		exe  string
		args []string
		ok   bool
	}{
		{"absolute path", absExe, []string{"tray"}, true},
		{"relative path", "keywarden", nil, false},
		{"empty path", "", nil, false},
		{"newline in an argument", "/usr/bin/keywarden", []string{"a\nb"}, false},
		{"NUL in the path", "/usr/bin/key\x00warden", nil, false},
		{"invalid UTF-8", "/usr/bin/\xffkw", nil, false},
		{"DEL", "/usr/bin/kw", []string{"\x7f"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := checkCommand(tt.exe, tt.args); (err == nil) != tt.ok {
				t.Errorf("checkCommand(%q, %q) = %v, want ok=%v", tt.exe, tt.args, err, tt.ok)
			}
		})
	}
}
