#!/usr/bin/env bash
# Runs a command inside a private desktop session for the tests: its own
# D-Bus session bus, an unlocked gnome-keyring Secret Service on it, and its
# own Xvfb display. Everything it starts is stopped when the command ends.
# The keyring and config live in a temporary folder, never the user's.
set -euo pipefail
export LANG=en_US.UTF-8

if [ "${KEYWARDEN_IN_SESSION:-}" != 1 ]; then
	KEYWARDEN_SESSION_DIR=$(mktemp -d /tmp/keywarden-session.XXXXXX)
	export KEYWARDEN_SESSION_DIR
	trap 'rm -rf "$KEYWARDEN_SESSION_DIR"' EXIT
	KEYWARDEN_IN_SESSION=1 dbus-run-session -- "$0" "$@"
	exit $?
fi

dir=$KEYWARDEN_SESSION_DIR
# Keep Go's caches where they were: the build cache defaults to
# XDG_CACHE_HOME, and a fresh one means a cold cgo build of the GL driver.
if command -v go >/dev/null 2>&1; then
	GOCACHE=$(go env GOCACHE) GOMODCACHE=$(go env GOMODCACHE)
	export GOCACHE GOMODCACHE
fi
mkdir -p "$dir/data" "$dir/config" "$dir/runtime" "$dir/cache"
chmod 700 "$dir/runtime"
export XDG_DATA_HOME=$dir/data XDG_CONFIG_HOME=$dir/config XDG_RUNTIME_DIR=$dir/runtime XDG_CACHE_HOME=$dir/cache

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# gnome-keyring creates and unlocks a fresh "login" collection in XDG_DATA_HOME.
eval "$(printf keywarden-test | gnome-keyring-daemon --unlock --components=secrets --daemonize)"
kpid=$(pgrep -n -f "gnome-keyring-daemon --unlock" || true)
[ -n "$kpid" ] && pids+=("$kpid")
export KEYWARDEN_REQUIRE_KEYRING=1

# A free display number: no lock file and no socket.
n=91
while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$dir/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
if [ -e "/tmp/.X11-unix/X$n" ]; then
	export DISPLAY=":$n" KEYWARDEN_REQUIRE_DISPLAY=1
	# Park the pointer in a corner no window opens under: Fyne 2.7.1 can
	# crash on quit when a pointer event for the closing window is pending.
	xdotool mousemove 1279 799 >/dev/null 2>&1 || true
else
	echo "keywarden: Xvfb did not start (see below); window tests will skip" >&2
	cat "$dir/xvfb.log" >&2
	unset DISPLAY
fi

"$@"
