#!/usr/bin/env bash
# Drives the real Windows exe under Wine on a private Xvfb display, in
# Keywarden's private Wine prefix, against the simulated exchange:
#   .ci/wine/smoke.sh dist/keywarden.exe [SCREENSHOT.png]
# help, add (the secret into Wine's Credential Manager), list, check, exec
# (the exit code, and Ctrl+C in a console shared with the program),
# the window rendering (a screenshot that is not blank), the tray part
# started by the window, a second copy of each handing over and exiting,
# the tray icon, a reminder's balloon, a click on it opening the key, and
# the tray menu in a Wine desktop with a taskbar; why there are no toasts,
# the keywarden: link protocol registered, a snooze link with a wrong token
# only opening the key and one with the token (through ShellExecute)
# starting the tray part and snoozing; and remove. Prints what each step
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
	[ "${KEYWARDEN_SMOKE_KEEP:-}" = 1 ] && echo "smoke: kept $work" || rm -rf "$work"
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
(cd "$here/../.." && go build -o "$work/krakenserve" ./.ci/wine/krakenserve &&
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -o "$work/balloonclick.exe" ./.ci/wine/balloonclick &&
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -o "$work/ctrlc.exe" ./.ci/wine/ctrlc)
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

step "exec lives through Ctrl+C, waits for it"
# In a console of its own, as from cmd.exe: the program presses Ctrl+C,
# which reaches keywarden.exe too; it must wait and return the program's 42.
wine "$work/ctrlc.exe" "$(winepath -w "$exe" 2>/dev/null)" smoke-wine >"$work/ctrlc.out" 2>"$work/ctrlc.err" </dev/null ||
	fail "$(cat "$work/ctrlc.out")"
ok "$(sed -n 's/.*(\(.*\))$/\1/p' "$work/ctrlc.out")"

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

# The tray part the window started writes its log nowhere, and with no
# tray host on the display its icon shows nowhere. Start one of our own in
# a Wine desktop with a taskbar (explorer /desktop, EnableShell), where the
# notification area shows the icon, its menu and balloons.
wineserver -k >/dev/null 2>&1 || true
rm -f "$work"/run/*.port
rm -f "$work/keys/reminders.json" # what the first tray part showed, where nobody could see it
wine reg add 'HKCU\Software\Wine\Explorer' /v EnableShell /t REG_DWORD /d 1 /f >"$work/reg.out" 2>&1
# colours FILE GEOMETRY: how many colours a part of a screenshot has.
colours() { convert "$1" -crop "$2" +repage -format %k info:; }
step "the tray icon in the notification area"
wine explorer /desktop=keywarden,1024x700 "$exe" tray >"$work/tray.out" 2>"$work/tray.err" </dev/null &
# The taskbar is the desktop's bottom 20 pixels; the icon its right end.
icon_area=24x20+1000+680
waitfor 60 test -s "$work/run/keywarden-tray.port" || fail "no tray part within 60 s"
waitfor 30 sh -c "import -window root '$work/tray.png' && [ \$(convert '$work/tray.png' -crop $icon_area +repage -format %k info:) -gt 4 ]" ||
	fail "no icon in the notification area"
ok "$(colours "$work/tray.png" "$icon_area") colours"

step "a reminder shown as a notification"
waitfor 60 grep -q '"sent"' "$work/keys/reminders.json" || fail "no reminder within 60 s"
# The balloon rises from the icon, over the desktop's plain background.
balloon_area=600x200+424+470
waitfor 20 sh -c "import -window root '$work/notified.png' && [ \$(convert '$work/notified.png' -crop $balloon_area +repage -format %k info:) -gt 20 ]" ||
	fail "no balloon over the tray icon"
if grep -q 'no notification' "$work/tray.err"; then fail "the tray part says it was not shown"; fi
ok "$(colours "$work/notified.png" "$balloon_area") colours"

step "a click on the balloon opens its key"
# Wine's tray never tells the icon of a click on its balloon; balloonclick
# sends the message Windows sends then.
# The key's record ID, for the steps that open or snooze it.
id=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["records"][0]["id"])' "$work/keys/keys.json")
wine explorer /desktop=keywarden,1024x700 "$work/balloonclick.exe" >"$work/click.out" 2>"$work/click.err" </dev/null || fail "balloonclick exited $?"
waitfor 30 pgrep -f "keywarden.exe open $id" || fail "no window opened on the key"
waitfor 90 xdotool search --onlyvisible --name '^Keywarden' || fail "the window did not show"
sleep 3
import -window root "$work/clicked.png"
pkill -f "keywarden.exe open $id" || true # the later steps start with no window
ok

step "the tray menu opens"
sleep 12 # let the balloon go
xdotool mousemove 1013 690 click 3
sleep 2
import -window root "$work/menu.png"
[ "$(colours "$work/menu.png" 300x200+724+470)" -gt 3 ] || fail "no menu over the tray icon"
ok

# Toasts and their buttons, which start keywarden: links. Wine 8.0 has no
# Windows.UI.Notifications: the tray part must say so, with the failing
# call, and show balloons (above). The links work all the same.
step "the tray part says why there are no toasts"
grep -q 'balloons on the tray icon: Windows cannot make toasts here (RoGetActivationFactory(Windows.UI.Notifications.ToastNotificationManager) failed: HRESULT 0x80040154' "$work/tray.err" ||
	fail "the tray part did not say which call fails"
ok "HRESULT 0x80040154"

step "the keywarden: link protocol is registered"
wine reg query 'HKCU\Software\Classes\keywarden\shell\open\command' /ve >"$work/reg-link.out" 2>&1 || fail "no keywarden: protocol in HKCU"
grep -qF "\"$(winepath -w "$exe" 2>/dev/null)\" \"%1\"" "$work/reg-link.out" || fail "the protocol does not start this exe"
wine reg query 'HKCU\Software\Classes\AppUserModelId\io.github.keywarden.Keywarden' /v IconUri >"$work/reg-aumid.out" 2>&1 || fail "no AppUserModelId in HKCU"
ok

# snoozed: whether reminders.json holds a snooze of the key for about a day.
snoozed() {
	python3 - "$work/keys/reminders.json" "$id" <<'PY'
import datetime, json, sys
z = json.load(open(sys.argv[1])).get("snoozes", {}).get(sys.argv[2])
left = z and datetime.datetime.fromisoformat(z["until"].replace("Z", "+00:00")) - datetime.datetime.now(datetime.timezone.utc)
sys.exit(0 if left and datetime.timedelta(hours=23) < left <= datetime.timedelta(days=1) else 1)
PY
}

step "a snooze link without the token only opens"
pkill -f "keywarden.exe open $id" || true # no window on the key yet
w link-wrong "keywarden:snooze-day?id=$id&token=$(printf '0%.0s' {1..32})" || fail "the link exited $?"
waitfor 60 pgrep -f "keywarden.exe open $id" || fail "no window opened on the key within 60 s"
if snoozed; then fail "a link without the token snoozed the key"; fi
grep -q 'opened the key instead' "$work/tray.err" || fail "the tray part did not say it only opened the key"
ok

step "a snooze link starts the tray part, snoozes"
wineserver -k >/dev/null 2>&1 || true
rm -f "$work"/run/*.port
# Windows reads HKEY_CLASSES_ROOT as HKCU\Software\Classes over
# HKLM\Software\Classes; Wine 8.0 reads HKLM's only. So for this step the
# registered command is copied there, for ShellExecute (`wine start`) to
# find it as Windows would; it goes again afterwards.
hkcr='HKLM\Software\Classes\keywarden'
wine reg add "$hkcr" /v 'URL Protocol' /d '' /f >"$work/reg-hklm.out" 2>&1
wine reg add "$hkcr\\shell\\open\\command" /ve /d "\"$(winepath -w "$exe" 2>/dev/null)\" \"%1\"" /f >>"$work/reg-hklm.out" 2>&1
KEYWARDEN_LINK_TOKEN=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n') # the token the toasts would hold
export KEYWARDEN_LINK_TOKEN
s=$(date +%s)
wine start "keywarden:snooze-day?id=$id&token=$KEYWARDEN_LINK_TOKEN" >"$work/link-start.out" 2>"$work/link-start.err" ||
	fail "wine start did not find the keywarden: protocol"
waitfor 60 snoozed || fail "the key was not snoozed within 60 s"
took=$(($(date +%s) - s))
unset KEYWARDEN_LINK_TOKEN
wine reg delete "$hkcr" /f >>"$work/reg-hklm.out" 2>&1
ok "$took s"

step "remove"
w remove remove smoke-wine --yes || fail "remove exited $?"
w list2 list || fail "list exited $?"
if grep -q smoke-wine "$work/list2.out"; then fail "the key is still listed"; fi
ok

if [ -n "$shot" ]; then
	convert "$work/window.png" -trim +repage "$shot" # the window, without the bare screen around it
	convert "$work/notified.png" -crop 1024x700+0+0 +repage "${shot%.png}-notification.png"
	convert "$work/menu.png" -crop 1024x700+0+0 +repage "${shot%.png}-tray.png"
	convert "$work/clicked.png" -crop 1024x700+0+0 +repage "${shot%.png}-clicked.png"
fi
echo "smoke: passed in $(($(date +%s) - t0)) s ($prep s of it starting Xvfb, the prefix and the exchange)"
