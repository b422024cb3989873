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

t=$(date +%s)
cache=$(dirname "$KEYWARDEN_WINEPREFIX")
overlay=$(GO=$GO .ci/wine/overlay.sh "$cache/overlay")
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 "$GO" test -overlay "$overlay" -count=1 \
	-exec "$PWD/.ci/wine/exec.sh" "$@"
echo "test-windows: tests under Wine passed in $(($(date +%s) - t)) s"

.ci/wine/smoke.sh "$exe" "${KEYWARDEN_SCREENSHOT:-}"
