package keys

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"unicode"
)

// writersOf lists the other processes that have the file open for writing
// (Linux: every /proc/PID/fd link to the same device and inode whose
// fdinfo flags say write-only or read-write). Processes of other users
// cannot be looked at and are not listed.
func writersOf(fi fs.FileInfo) []Holder {
	want, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	self := os.Getpid()
	var out []Holder
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil || pid == self {
			continue
		}
		dir := filepath.Join("/proc", p.Name())
		fds, err := os.ReadDir(filepath.Join(dir, "fd"))
		if err != nil {
			continue
		}
		for _, fd := range fds {
			var st syscall.Stat_t
			if syscall.Stat(filepath.Join(dir, "fd", fd.Name()), &st) != nil || st.Dev != want.Dev || st.Ino != want.Ino {
				continue
			}
			if writeFlags(filepath.Join(dir, "fdinfo", fd.Name())) {
				comm, _ := os.ReadFile(filepath.Join(dir, "comm"))
				out = append(out, Holder{PID: pid, Name: printable(string(bytes.TrimSpace(comm)))})
				break
			}
		}
	}
	return out
}

// writeFlags reports whether an fdinfo file says the descriptor may
// write; when it cannot be read, it says yes (fail closed).
func writeFlags(fdinfo string) bool {
	b, err := os.ReadFile(fdinfo)
	if err != nil {
		return true
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte("flags:")); ok {
			flags, err := strconv.ParseUint(string(bytes.TrimSpace(v)), 8, 64)
			return err != nil || flags&uint64(syscall.O_ACCMODE) != uint64(syscall.O_RDONLY)
		}
	}
	return true
}

// openRewrite opens the file to rewrite it in place.
func openRewrite(path string) (*os.File, error) { return os.OpenFile(path, os.O_RDWR, 0) }

// printable keeps a name read from the system (a process's) from
// reaching a terminal or a window as control characters.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) {
			return '?'
		}
		return r
	}, s)
}
