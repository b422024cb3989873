#!/usr/bin/env bash
# Tests .ci/session.sh: in CI it must fail, with the reason, when the display
# cannot start, instead of running the tests without one (they would skip);
# outside CI it warns and runs the command.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d /tmp/keywarden-session-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
failed=0

# A PATH with every program of this machine's PATH but Xvfb.
mkdir "$tmp/bin" "$tmp/fake"
IFS=: read -r -a dirs <<<"$PATH"
for d in "${dirs[@]}"; do
	# One ln a folder (a name already linked from an earlier folder stays).
	[ -d "$d" ] && ln -s -t "$tmp/bin" "$d"/* 2>/dev/null || true
done
rm -f "$tmp/bin/Xvfb"
# An Xvfb that cannot start, as on a machine without a usable X server.
printf '#!/bin/sh\necho "Fatal server error: (EE) no screens found (fake)" >&2\nexit 1\n' >"$tmp/fake/Xvfb"
chmod +x "$tmp/fake/Xvfb"

# check NAME WANT_RC WANT_TEXT WANT_RAN ENV...: runs session.sh in a clean
# environment with ENV, the command touching a marker file.
check() {
	local name=$1 want_rc=$2 want_text=$3 want_ran=$4
	shift 4
	rm -f "$tmp/ran"
	local rc=0
	env -i HOME="$HOME" "$@" .ci/session.sh sh -c "touch '$tmp/ran'" >"$tmp/out" 2>&1 || rc=$?
	local ran=no
	[ -e "$tmp/ran" ] && ran=yes
	if { [ "$want_rc" = nonzero ] && [ "$rc" = 0 ]; } || { [ "$want_rc" = 0 ] && [ "$rc" != 0 ]; } ||
		! grep -qF -- "$want_text" "$tmp/out" || [ "$ran" != "$want_ran" ]; then
		echo "FAIL: $name: exit $rc, command ran: $ran; want exit $want_rc, ran $want_ran, and \"$want_text\" in:" >&2
		sed 's/^/  | /' "$tmp/out" >&2
		failed=1
	else
		echo "ok: $name"
	fi
}

check "in CI, no Xvfb fails the run with the reason" nonzero \
	"Xvfb is missing (Debian package xvfb), so the tests that need it cannot run; failing instead of skipping them." no \
	PATH="$tmp/bin" CI=true
check "in CI, an Xvfb that cannot start fails the run with its log" nonzero \
	"Fatal server error: (EE) no screens found (fake)" no \
	PATH="$tmp/fake:$tmp/bin" CI=true
check "make test (KEYWARDEN_SESSION_STRICT=1) fails the same way" nonzero \
	"Xvfb did not start" no \
	PATH="$tmp/fake:$tmp/bin" KEYWARDEN_SESSION_STRICT=1
check "outside CI, no Xvfb warns and runs the command" 0 \
	"the tests that need it will skip" yes \
	PATH="$tmp/bin"
exit "$failed"
