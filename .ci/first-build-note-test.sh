#!/usr/bin/env bash
# Tests .ci/first-build-note.sh: with an empty Go build cache it says the
# first build will take minutes; with the graphics driver built, nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
tmp=$(mktemp -d /tmp/keywarden-note-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
failed=0

cold=$(GOCACHE="$tmp" GO="$GO" .ci/first-build-note.sh)
case $cold in
*"first build"*"few minutes"*) ;;
*) echo "first-build-note: with an empty build cache it said: '$cold'" >&2; failed=1 ;;
esac

if [ "$("$GO" list -f '{{.Stale}}' github.com/go-gl/gl/v2.1/gl)" = false ]; then
	warm=$(GO="$GO" .ci/first-build-note.sh)
	if [ -n "$warm" ]; then
		echo "first-build-note: with the driver built it said: '$warm'" >&2
		failed=1
	fi
else
	echo "first-build-note: the graphics driver is not built in this cache; the warm case was not tested" >&2
	failed=1
fi
[ "$failed" = 0 ] && echo "first-build-note: ok"
exit "$failed"
