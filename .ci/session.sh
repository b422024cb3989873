#!/usr/bin/env bash
# Runs a command inside a private desktop session for the tests: its own
# D-Bus session bus, an unlocked gnome-keyring Secret Service on it, and its
# own Xvfb display. Everything it starts is stopped when the command ends.
# The keyring and config live in a temporary folder, never the user's.
#
# In CI (CI=true) and in `make test` (KEYWARDEN_SESSION_STRICT=1), a keyring
# or display that cannot start fails the run with the reason, so the tests
# that need them can never pass by skipping. Elsewhere it says so and runs
# the command without them.
set -euo pipefail
export LANG=en_US.UTF-8

if [ "${KEYWARDEN_IN_SESSION:-}" != 1 ]; then
	KEYWARDEN_SESSION_DIR=$(mktemp -d /tmp/keywarden-session.XXXXXX)
	export KEYWARDEN_SESSION_DIR
	trap 'rm -rf "$KEYWARDEN_SESSION_DIR"' EXIT
	if ! command -v dbus-run-session >/dev/null 2>&1; then
		echo "keywarden: dbus-run-session is missing (Debian package dbus): no private D-Bus session for the tests. Run make deps-test." >&2
		exit 1
	fi
	# The private bus starts no service on demand (.ci/private-bus.sh says
	# why).
	bus=$("$(dirname "$0")/private-bus.sh" "$KEYWARDEN_SESSION_DIR")
	rc=0
	KEYWARDEN_IN_SESSION=1 dbus-run-session "$bus" -- "$0" "$@" || rc=$?
	exit "$rc"
fi

strict=0
if [ "${CI:-}" = true ] || [ "${KEYWARDEN_SESSION_STRICT:-}" = 1 ]; then
	strict=1
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

# unavailable WHAT LOG: in strict mode, fail with the reason and WHAT's own
# log; otherwise warn that the tests needing it will skip.
unavailable() {
	if [ "$strict" = 1 ]; then
		echo "keywarden: $1, so the tests that need it cannot run; failing instead of skipping them." >&2
	else
		echo "keywarden: $1; the tests that need it will skip (CI=true or make test would fail here)." >&2
	fi
	[ -s "$2" ] && sed 's/^/  | /' "$2" >&2
	[ "$strict" = 1 ] && exit 1
	return 0
}

# bus_owner NAME prints the PID of the process that owns NAME on this
# session bus (ours alone), or fails.
bus_owner() {
	dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.GetConnectionUnixProcessID "string:$1" 2>/dev/null | awk '{print $2}'
}

# The keyring: gnome-keyring-daemon in the foreground, so $! is its own
# PID, creating and unlocking a fresh "login" collection in XDG_DATA_HOME.
# It is ready once it owns org.freedesktop.secrets on our bus.
start_keyring() {
	if ! command -v gnome-keyring-daemon >/dev/null 2>&1 || ! command -v dbus-send >/dev/null 2>&1; then
		unavailable "gnome-keyring-daemon or dbus-send is missing (Debian packages gnome-keyring, dbus)" /dev/null
		return
	fi
	gnome-keyring-daemon --foreground --unlock --components=secrets <<<keywarden-test >"$dir/keyring.log" 2>&1 &
	local kpid=$! owner=""
	pids+=("$kpid")
	for _ in $(seq 100); do
		owner=$(bus_owner org.freedesktop.secrets || true)
		[ -n "$owner" ] && break
		kill -0 "$kpid" 2>/dev/null || break
		sleep 0.1
	done
	if [ "$owner" != "$kpid" ]; then
		unavailable "the keyring (gnome-keyring-daemon) did not start on the private D-Bus session" "$dir/keyring.log"
		return
	fi
	export KEYWARDEN_REQUIRE_KEYRING=1
}

# The display: Xvfb picks a free display number itself and writes it to
# the -displayfd descriptor once it accepts connections, so there is no
# probing for a free number and no race with another session.
start_display() {
	if ! command -v Xvfb >/dev/null 2>&1; then
		unavailable "Xvfb is missing (Debian package xvfb)" /dev/null
		return
	fi
	mkfifo "$dir/displayfd"
	Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$dir/displayfd" >"$dir/xvfb.log" 2>&1 &
	pids+=($!)
	local n=""
	read -r -t 20 n <"$dir/displayfd" || true
	if [ -z "$n" ]; then
		unavailable "Xvfb did not start" "$dir/xvfb.log"
		return
	fi
	export DISPLAY=":$n" KEYWARDEN_REQUIRE_DISPLAY=1
	# Park the pointer in a corner no window opens under: Fyne 2.7.1 can
	# crash on quit when a pointer event for the closing window is pending.
	xdotool mousemove 1279 799 >/dev/null 2>&1 || true
}

start_keyring
start_display

"$@"
