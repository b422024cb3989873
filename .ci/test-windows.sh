#!/usr/bin/env bash
# The Windows tests, under Wine, in a private prefix (.ci/wine/prefix.sh):
#   .ci/test-windows.sh EXE PACKAGE...
# the packages' tests cross-compiled for Windows and run by .ci/wine/exec.sh
# (with the overlay Wine 8.0's os.RemoveAll needs, .ci/wine/overlay.sh),
# then the smoke test of the real exe (.ci/wine/smoke.sh). Prints how long
# each part took.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
exe=${1:?usage: test-windows.sh EXE PACKAGE...}
shift
export LANG=en_US.UTF-8 WINEDEBUG=-all

t=$(date +%s)
KEYWARDEN_WINEPREFIX=$(.ci/wine/prefix.sh)
export KEYWARDEN_WINEPREFIX
echo "test-windows: Wine prefix ready in $(($(date +%s) - t)) s: $KEYWARDEN_WINEPREFIX"

# A private display: Wine makes no window without one, and the tray's
# tests make one (a stand-in for the tray icon's window).
xvfb_log=$(mktemp)
Xvfb -displayfd 4 -screen 0 1024x768x24 -nolisten tcp 4>"$xvfb_log.fd" 2>"$xvfb_log" &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -f "$xvfb_log" "$xvfb_log.fd"' EXIT
for _ in $(seq 50); do [ -s "$xvfb_log.fd" ] && break; sleep 0.2; done
if ! [ -s "$xvfb_log.fd" ]; then
	echo "test-windows: Xvfb did not start:" >&2
	cat "$xvfb_log" >&2
	exit 1
fi
export DISPLAY=:$(cat "$xvfb_log.fd")

t=$(date +%s)
cache=$(dirname "$KEYWARDEN_WINEPREFIX")
overlay=$(GO=$GO .ci/wine/overlay.sh "$cache/overlay")
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 "$GO" test -overlay "$overlay" -count=1 \
	-exec "$PWD/.ci/wine/exec.sh" "$@"
echo "test-windows: tests under Wine passed in $(($(date +%s) - t)) s"
# Wine's desktop process lives on this display until the wine server ends.
WINEPREFIX=$KEYWARDEN_WINEPREFIX wineserver -k >/dev/null 2>&1 || true
kill $xvfb 2>/dev/null || true

.ci/wine/smoke.sh "$exe" "${KEYWARDEN_SCREENSHOT:-}"
