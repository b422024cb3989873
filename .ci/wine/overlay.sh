#!/usr/bin/env bash
# Writes a `go build -overlay` file for Windows test binaries run under Wine
# 8.0, and prints its path. Wine 8.0 answers the FileDispositionInformationEx
# that Go's os.RemoveAll (and so t.TempDir's cleanup) uses with
# STATUS_NOT_IMPLEMENTED ("Invalid function"), where Windows before
# 10 1607 says STATUS_INVALID_INFO_CLASS; Go falls back to the older call
# only for the latter. The overlay adds the former (and its cousin
# STATUS_INVALID_DEVICE_REQUEST) to that fallback, in a
# copy of this Go's own internal/syscall/windows/at_windows.go. A test
# fixture for Wine only: release builds never use it.
set -euo pipefail
out=${1:?usage: overlay.sh OUTDIR}
goroot=$(${GO:-go} env GOROOT)
src=$goroot/src/internal/syscall/windows/at_windows.go
mkdir -p "$out"
patched=$out/at_windows.go
pattern='^\([[:space:]]*\)STATUS_NOT_SUPPORTED:'
if ! grep -q "$pattern" "$src"; then
	echo "overlay.sh: $src no longer has the fallback this patches; check whether Go still needs it under Wine" >&2
	exit 1
fi
sed "s/$pattern/\1NTStatus(0xC0000002), \/\/ STATUS_NOT_IMPLEMENTED: Wine 8.0\n\1NTStatus(0xC0000010), \/\/ STATUS_INVALID_DEVICE_REQUEST\n&/" "$src" >"$patched"
printf '{"Replace":{"%s":"%s"}}\n' "$src" "$patched" >"$out/overlay.json"
echo "$out/overlay.json"
