#!/usr/bin/env bash
# Takes the README's screenshots of the real binary: each screen in the light
# and the dark theme, at the default window size and some at 800×600, saved
# as PNG files in assets/screenshots/ (or $SCREENSHOTS_DIR).
#
# It runs inside .ci/session.sh (its own D-Bus, keyring and Xvfb display).
# Every screen but the empty state is "keywarden demo --show SCREEN": sample
# keys, secrets in memory, a simulated exchange. The empty state is the
# normal window over an empty key folder of its own, without the tray part.
# Each run has temporary config and runtime folders, so nothing of yours is
# read or changed.
#
# SCREENSHOTS_ALL=1 also takes every screen at 800×600, and the review and
# revoke screens, for looking them over (not for the README).
set -euo pipefail
export LANG=en_US.UTF-8
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$self")/.."

if [ "${KEYWARDEN_IN_SESSION:-}" != 1 ]; then
	exec .ci/session.sh "$self" "$@"
fi
if [ -z "${DISPLAY:-}" ]; then
	echo "screenshots: no X display could be started (see above)" >&2
	exit 1
fi

out=${SCREENSHOTS_DIR:-assets/screenshots}
mkdir -p "$out"
work=$(mktemp -d /tmp/keywarden-shots.XXXXXX)
app_pid= win= theme=
cleanup() {
	if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

echo "screenshots: building the binary"
go build -o "$work/keywarden" .

# start RUN ARGS...: starts the binary with ARGS, its config in RUN, and
# sets app_pid and win to its process and window; fails when no window
# shows within 20 s.
start() {
	local run=$1
	shift
	env -u KEYWARDEN_KRAKEN_URL XDG_CONFIG_HOME="$run/config" XDG_RUNTIME_DIR="$run/runtime" \
		KEYWARDEN_DIR="$run/keys" KEYWARDEN_NO_TRAY=1 FYNE_THEME="$theme" \
		"$work/keywarden" "$@" >"$run/log" 2>&1 &
	app_pid=$!
	win=
	local i
	for i in $(seq 200); do
		kill -0 "$app_pid" 2>/dev/null || return 1
		win=$(xdotool search --onlyvisible --name '^Keywarden' 2>/dev/null | head -n1 || true)
		[ -n "$win" ] && return 0
		sleep 0.1
	done
	return 1
}

# stop: ends the app with SIGTERM, as a desktop would, and checks that it
# quit cleanly. Fyne 2.7.1 can hang on its way out (its stop hook, queued
# as the loop ends, waits for the loop); after 10 s the app is killed with
# a warning: the screenshot is taken by then.
stop() {
	local rc=0 i
	kill -TERM "$app_pid" 2>/dev/null || true
	for i in $(seq 100); do
		kill -0 "$app_pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$app_pid" 2>/dev/null; then
		echo "screenshots: warning: keywarden had not quit 10 s after SIGTERM; killed it" >&2
		kill -KILL "$app_pid" 2>/dev/null || true
		wait "$app_pid" 2>/dev/null || true
		app_pid=
		return 0
	fi
	wait "$app_pid" || rc=$?
	app_pid=
	return "$rc"
}

# shot FILE THEME SIZE ARGS...: starts the binary with ARGS in THEME (light
# or dark), the window at SIZE (WxH, or "default"), and saves the window as
# $out/FILE.png.
shot() {
	local file=$1 theme=$2 size=$3
	shift 3
	local args=("$@") run="$work/run-$file" resize=
	mkdir -p "$run/config" "$run/keys" "$run/runtime"
	chmod 700 "$run/runtime"
	if [ "$size" != default ] && [ "${args[0]:-}" = demo ]; then
		args+=(--size "$size")
	elif [ "$size" != default ]; then
		resize=$size # the normal window has no --size: resize the X window
	fi
	# Now and then the binary cannot open the display at start (seen on a
	# busy two-core machine): try twice.
	if ! start "$run" "${args[@]}"; then
		echo "screenshots: keywarden ${args[*]} showed no window; trying again. It said:" >&2
		cat "$run/log" >&2
		stop || true
		start "$run" "${args[@]}" || {
			echo "screenshots: keywarden ${args[*]} showed no window again:" >&2
			cat "$run/log" >&2
			exit 1
		}
	fi
	if [ -n "$resize" ]; then
		xdotool windowsize "$win" "${resize%x*}" "${resize#*x}"
	fi
	# The pointer starts in the middle of the screen, over the window, and
	# a row under it is highlighted even after it leaves the window: put it
	# on a spot where nothing reacts (the line under the toolbar or heading).
	xdotool mousemove --window "$win" 500 62
	sleep 2 # the first frames, the key list and the verify call
	# A 256-colour palette: a third of the size, and no visible difference
	# on flat UI colours.
	import -window "$win" -strip +dither -colors 256 "PNG8:$out/$file.png"
	if ! stop; then
		echo "screenshots: keywarden ${args[*]} did not quit cleanly on SIGTERM:" >&2
		cat "$run/log" >&2
		exit 1
	fi

	local got
	got=$(identify -format '%wx%h' "$out/$file.png")
	if [ "$size" != default ] && [ "$got" != "$size" ]; then
		echo "screenshots: $file.png is $got, not $size: the window would not shrink that far" >&2
	fi
	echo "screenshots: $out/$file.png ($got, $(du -k "$out/$file.png" | cut -f1) KiB)"
}

small=800x600
for theme in light dark; do
	shot "list-$theme" "$theme" default demo --show list # the real window's size; a plain demo opens smaller
	shot "list-$small-$theme" "$theme" "$small" demo --show list
	shot "empty-$theme" "$theme" default
	shot "wizard-permissions-$theme" "$theme" default demo --show wizard-permissions
	shot "verify-difference-$theme" "$theme" default demo --show wizard-verify
	shot "verify-difference-$small-$theme" "$theme" "$small" demo --show wizard-verify
	shot "detail-findings-$theme" "$theme" default demo --show detail:freqtrade-bot-vps
	shot "detail-reminders-$theme" "$theme" default demo --show detail-reminders:freqtrade-bot-vps
	shot "find-copies-$theme" "$theme" default demo --show find-copies
	# A rotation in each state the exchange's evidence can show (issue 24).
	shot "rotation-not-switched-$theme" "$theme" default demo --show detail:gridbot-2026-06
	shot "rotation-both-in-use-$theme" "$theme" default demo --show detail:freqtrade-eth-2026-06
	shot "rotation-switched-$theme" "$theme" default demo --show detail:cointracking-sync-2026-06
	shot "activity-$theme" "$theme" default demo --show activity
	if [ "${SCREENSHOTS_ALL:-}" = 1 ]; then
		shot "empty-$small-$theme" "$theme" "$small"
		shot "wizard-permissions-$small-$theme" "$theme" "$small" demo --show wizard-permissions
		shot "detail-findings-$small-$theme" "$theme" "$small" demo --show detail:freqtrade-bot-vps
		shot "review-$theme" "$theme" default demo --show review:cointracker-portfolio
		shot "review-$small-$theme" "$theme" "$small" demo --show review:cointracker-portfolio
		shot "revoke-$theme" "$theme" default demo --show revoke:old-portfolio-script
		shot "revoke-$small-$theme" "$theme" "$small" demo --show revoke:old-portfolio-script
		shot "settings-$small-$theme" "$theme" "$small" demo --show settings
	fi
done
