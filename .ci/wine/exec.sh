#!/usr/bin/env bash
# Runs a Windows program under Wine in Keywarden's private prefix, for
# `go test -exec .ci/wine/exec.sh`: its output goes to files first (a pipe
# would stay open until the wine server exits) and then to ours, and its
# exit code is ours.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prefix=$("$here/prefix.sh") || exit 1
export WINEPREFIX=$prefix WINEDEBUG=-all
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
wine "$@" >"$out/stdout" 2>"$out/stderr" </dev/null
rc=$?
cat "$out/stdout"
grep -v -e 'it looks like wine32 is missing' -e 'multiarch needs to be enabled' \
	-e 'execute "dpkg --add-architecture' -e 'apt-get install wine32' "$out/stderr" >&2
exit $rc
