package tray

import (
	"testing"
	"unicode/utf16"
	"unsafe"
)

func TestNotifyIconData_isTheSizeWindowsExpects(t *testing.T) {
	// sizeof(NOTIFYICONDATAW) with every field up to hBalloonIcon, on amd64.
	if got := unsafe.Sizeof(notifyIconData{}); unsafe.Sizeof(uintptr(0)) == 8 && got != 976 {
		t.Errorf("NOTIFYICONDATAW is %d bytes, want 976", got)
	}
	if got := unsafe.Offsetof(notifyIconData{}.InfoTitle); unsafe.Sizeof(uintptr(0)) == 8 && got != 820 {
		t.Errorf("szInfoTitle at offset %d, want 820", got)
	}
}

func TestCopyUTF16(t *testing.T) {
	for _, tt := range []struct {
		in   string
		max  int
		want string
	}{
		{"Key “bot” is due", 63, "Key “bot” is due"},
		{"abcdef", 4, "abc…"},
		{"a\x00b", 63, "ab"},
	} {
		buf := make([]uint16, tt.max+1)
		copyUTF16(buf, tt.in, tt.max)
		n := 0
		for n < len(buf) && buf[n] != 0 {
			n++
		}
		if got := string(utf16.Decode(buf[:n])); got != tt.want {
			t.Errorf("copyUTF16(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}
