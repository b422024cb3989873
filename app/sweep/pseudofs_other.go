//go:build !linux

package sweep

// pseudoFS reports whether dir is a kernel's view rather than files: here,
// by the usual mount points (devices are skipped as special files anyway).
func pseudoFS(dir string) bool {
	return dir == "/proc" || dir == "/sys"
}
