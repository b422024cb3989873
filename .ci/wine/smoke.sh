#!/usr/bin/env bash
# Drives the real Windows exe under Wine on a private Xvfb display, in
# Keywarden's private Wine prefix, against the simulated exchange:
#   .ci/wine/smoke.sh dist/keywarden.exe [SCREENSHOT.png]
# help, add (the secret into Wine's Credential Manager), list, check, exec,
# the window rendering (a screenshot that is not blank), the tray part
# started by the window, a second copy of each handing over and exiting,
# a reminder shown as a notification, and remove. Prints what each step
# found; exits 1 at the first failure, with the logs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exe=$(readlink -f "${1:?usage: smoke.sh EXE [SCREENSHOT]}")
shot=${2:-}
t0=$(date +%s)
work=$(mktemp -d /tmp/keywarden-smoke.XXXXXX)
export WINEDEBUG=-all
WINEPREFIX=$("$here/prefix.sh")
export WINEPREFIX

pids=()
cleanup() {
	wineserver -k >/dev/null 2>&1 || true # only this private prefix's programs
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

step() { printf 'smoke: %-44s' "$1"; }
ok() { echo "ok${1:+ ($1)}"; }
fail() {
	echo "FAILED: $1"
	for f in "$work"/*.out "$work"/*.err; do
		[ -s "$f" ] && { echo "--- $(basename "$f")"; tail -n 20 "$f"; }
	done
	exit 1
}
# w NAME ARGS...: runs the exe with output in files (a pipe would stay open
# until the wine server exits); stdin from $work/NAME.in if it exists.
w() {
	local name=$1 in=/dev/null
	shift
	[ -f "$work/$name.in" ] && in=$work/$name.in
	wine "$exe" "$@" <"$in" >"$work/$name.out" 2>"$work/$name.err"
}
# waitfor SECONDS COMMAND...: retries COMMAND every half second.
waitfor() {
	local until=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$until" ] && return 1
		sleep 0.5
	done
}

# A private display.
n=95
while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY=:$n
waitfor 10 xdpyinfo || fail "Xvfb did not start"

# The simulated exchange, on this computer.
(cd "$here/../.." && go build -o "$work/krakenserve" ./.ci/wine/krakenserve)
"$work/krakenserve" "$work/exchange" &
pids+=($!)
waitfor 10 test -s "$work/exchange" || fail "the simulated exchange did not start"
{ read -r url; read -r apikey; read -r secret; } <"$work/exchange"

mkdir -p "$work/keys" "$work/run"
KEYWARDEN_DIR=$(winepath -w "$work/keys" 2>/dev/null)
XDG_RUNTIME_DIR=$(winepath -w "$work/run" 2>/dev/null) # app/instance's folder, as in tests
export KEYWARDEN_DIR XDG_RUNTIME_DIR KEYWARDEN_KRAKEN_URL=$url
prep=$(($(date +%s) - t0))

step "help"
w help help || fail "help exited $?"
grep -q '^Commands:' "$work/help.out" || fail "help printed no command list"
ok

step "add (secret into the Credential Manager)"
printf '%s\n%s\n' "$apikey" "$secret" >"$work/add.in"
w add add --name smoke-wine --purpose read-only-dashboard || fail "add exited $?"
ok

step "list"
w list list || fail "list exited $?"
grep -q smoke-wine "$work/list.out" || fail "list does not show the key"
ok

step "check against the simulated exchange"
rc=0
w check check smoke-wine || rc=$?
[ "$rc" -eq 0 ] || fail "check exited $rc"
ok

step "exec passes the key and the exit code"
rc=0
w exec exec smoke-wine -- cmd.exe /c "echo %KRAKEN_API_KEY%& exit 7" || rc=$?
[ "$rc" -eq 7 ] || fail "exec exited $rc, want the program's 7"
grep -qF "$apikey" "$work/exec.out" || fail "the program did not get the API key"
ok

# A review that is overdue, for the tray part to remind of: the key was
# reviewed (added) 40 days ago, with a 30-day interval.
python3 - "$work/keys/keys.json" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
for r in d["records"]:
    r["created"] = "2026-01-01T00:00:00Z"
    r["reviewDays"] = 30
    r.pop("lastReviewed", None)
json.dump(d, open(p, "w"), indent=1)
PY

step "the window renders"
wine "$exe" >"$work/window.out" 2>"$work/window.err" </dev/null &
waitfor 90 xdotool search --onlyvisible --name '^Keywarden' || fail "no window within 90 s"
sleep 3
import -window root "$work/window.png"
colours=$(convert "$work/window.png" -format %k info:)
[ "$colours" -gt 50 ] || fail "the screenshot is blank ($colours colours)"
ok "$colours colours"

step "the window started the tray part"
waitfor 60 test -s "$work/run/keywarden-tray.port" || fail "no tray part within 60 s"
ok

step "a second window hands over and exits"
before=$(cat "$work/run/keywarden-window.port")
s=$(date +%s)
w second-window || fail "the second window exited $?"
[ "$(cat "$work/run/keywarden-window.port")" = "$before" ] || fail "the second window took over"
ok "$(($(date +%s) - s)) s"

step "a second tray part hands over and exits"
before=$(cat "$work/run/keywarden-tray.port")
w second-tray tray || fail "the second tray part exited $?"
[ "$(cat "$work/run/keywarden-tray.port")" = "$before" ] || fail "the second tray part took over"
ok

# The tray part the window started writes its log nowhere; start one of
# our own, with its log in a file, to see the notification go out.
wineserver -k >/dev/null 2>&1 || true
rm -f "$work"/run/*.port

step "a reminder shown as a notification"
wine "$exe" tray >"$work/tray.out" 2>"$work/tray.err" </dev/null &
waitfor 60 grep -q '"sent"' "$work/keys/reminders.json" || fail "no reminder within 60 s"
sleep 3
if grep -q 'notification' "$work/tray.err"; then fail "the notification was not shown"; fi
import -window root "$work/notified.png"
ok

step "remove"
w remove remove smoke-wine --yes || fail "remove exited $?"
w list2 list || fail "list exited $?"
if grep -q smoke-wine "$work/list2.out"; then fail "the key is still listed"; fi
ok

if [ -n "$shot" ]; then
	cp "$work/window.png" "$shot"
	cp "$work/notified.png" "${shot%.png}-notified.png"
fi
echo "smoke: passed in $(($(date +%s) - t0)) s ($prep s of it starting Xvfb, the prefix and the exchange)"
