#!/usr/bin/env bash
# make bench-idle: what Keywarden costs while it sits there. Builds the
# program and a bare Fyne window the same way, seeds a key list of 20 keys,
# and inside a private D-Bus session and Xvfb display measures, one after
# the other, for BENCH_SECONDS (default 60) after BENCH_SETTLE (default 5)
# seconds of settling:
#   tray     `keywarden tray` alone: the resident part, no window
#   watched  the same with one account watched (a read-only watch key
#            polls the ledger every 15 minutes; BENCH_WATCH=0 skips it)
#   window   `keywarden` with its window open (KEYWARDEN_NO_TRAY=1: alone)
#   bare     a bare Fyne window (.ci/bench/bare), the yardstick
# and then how long the window set to close after 1 minute without input
# takes to close itself.
# CPU seconds (utime+stime, /proc/PID/stat; and the threads' run time from
# /proc/PID/task/*/schedstat, finer grained), context switches summed over
# all threads (/proc/PID/task/*/status), and memory at the end (VmRSS; its
# anonymous part is the process's own, the rest is the mapped program and
# libraries, shared with the page cache).
# The D-Bus session has no tray host and no notification server: the tray
# part logs that once and idles as it would with them.
set -euo pipefail
export LANG=en_US.UTF-8
secs=${BENCH_SECONDS:-60}
settle=${BENCH_SETTLE:-5}
keys=${BENCH_KEYS:-20}
root=$(cd "$(dirname "$0")/.." && pwd)

if [ "${KEYWARDEN_IN_BENCH:-}" != 1 ]; then
	# The builds below use the usual Go caches, not the private folders.
	GOCACHE=$(go env GOCACHE)
	export GOCACHE
	KEYWARDEN_BENCH_DIR=$(mktemp -d /tmp/keywarden-bench.XXXXXX)
	export KEYWARDEN_BENCH_DIR
	trap 'rm -rf "$KEYWARDEN_BENCH_DIR"' EXIT
	# A private bus that starts no service on demand (.ci/private-bus.sh).
	bus=$("$root/.ci/private-bus.sh" "$KEYWARDEN_BENCH_DIR")
	KEYWARDEN_IN_BENCH=1 dbus-run-session "$bus" -- "$0" "$@"
	exit $?
fi

dir=$KEYWARDEN_BENCH_DIR
mkdir -p "$dir/config" "$dir/data" "$dir/cache" "$dir/runtime" "$dir/keys"
chmod 700 "$dir/runtime"
export XDG_CONFIG_HOME=$dir/config XDG_DATA_HOME=$dir/data XDG_CACHE_HOME=$dir/cache XDG_RUNTIME_DIR=$dir/runtime
export KEYWARDEN_DIR=$dir/keys
# A service the bus starts on demand (the keyring, when the watched tray
# part's poll asks for the watch key's secret) lives in these folders too,
# never in the person's own.
mkdir -p "$dir/home"
if command -v dbus-update-activation-environment >/dev/null; then
	dbus-update-activation-environment HOME="$dir/home" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" XDG_DATA_HOME="$XDG_DATA_HOME" \
		XDG_CACHE_HOME="$XDG_CACHE_HOME" XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR" >/dev/null 2>&1 || true
fi
# Nothing in a run may reach Kraken: a closed port on this computer.
export KEYWARDEN_KRAKEN_URL=http://127.0.0.1:9

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

cd "$root"
echo "building keywarden and the bare Fyne window…" >&2
go build -o "$dir/keywarden" .
# The yardstick is a stock Fyne window: not the tags the Makefile gives keywarden.
go build -tags= -o "$dir/bare" ./.ci/bench/bare
go run ./.ci/bench/seed "$KEYWARDEN_DIR" "$keys"

n=91
while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$dir/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
[ -e "/tmp/.X11-unix/X$n" ] || { echo "bench-idle: Xvfb did not start" >&2; cat "$dir/xvfb.log" >&2; exit 1; }
export DISPLAY=":$n"

hz=$(getconf CLK_TCK)

# sample PID prints: cpu-ticks run-ns voluntary involuntary
sample() {
	local pid=$1 ticks vcs=0 ics=0 ns=0 t v i run
	ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
	for t in /proc/"$pid"/task/*; do
		v=$(awk '/^voluntary_ctxt_switches/ {print $2}' "$t/status" 2>/dev/null || echo 0)
		i=$(awk '/^nonvoluntary_ctxt_switches/ {print $2}' "$t/status" 2>/dev/null || echo 0)
		read -r run _ <"$t/schedstat" 2>/dev/null || run=0
		vcs=$((vcs + ${v:-0})) ics=$((ics + ${i:-0})) ns=$((ns + ${run:-0}))
	done
	echo "$ticks $ns $vcs $ics"
}

mem() { awk -v k="$2" '$1 == k":" {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

results=()
# measure NAME WINDOW-TITLE COMMAND... (WINDOW-TITLE "" for no window)
measure() {
	local name=$1 title=$2
	shift 2
	echo "measuring $name for ${secs}s…" >&2
	local pid attempt
	# Now and then a GL program cannot open the display at start on a busy
	# two-core machine (screenshots.sh sees it too): try twice.
	for attempt in 1 2; do
		"$@" >"$dir/$name.log" 2>&1 &
		pid=$!
		pids+=("$pid")
		[ -z "$title" ] && break
		for _ in $(seq 200); do
			xdotool search --onlyvisible --name "^$title\$" >/dev/null 2>&1 && break 2
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		echo "bench-idle: no window \"$title\" for $name (attempt $attempt); it said:" >&2
		cat "$dir/$name.log" >&2
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		if [ "$attempt" = 2 ]; then
			echo "Xvfb said:" >&2
			cat "$dir/xvfb.log" >&2
			exit 1
		fi
	done
	sleep "$settle"
	local a b
	read -ra a < <(sample "$pid")
	sleep "$secs"
	read -ra b < <(sample "$pid")
	local rss anon file threads
	rss=$(mem "$pid" VmRSS) anon=$(mem "$pid" RssAnon) file=$(mem "$pid" RssFile)
	threads=$(awk '$1 == "Threads:" {print $2}' "/proc/$pid/status")
	kill -TERM "$pid"
	wait "$pid" || echo "bench-idle: $name exited with $? on SIGTERM" >&2
	results+=("$(awk -v n="$name" -v hz="$hz" -v t0="${a[0]}" -v t1="${b[0]}" -v r0="${a[1]}" -v r1="${b[1]}" \
		-v v0="${a[2]}" -v v1="${b[2]}" -v i0="${a[3]}" -v i1="${b[3]}" -v th="$threads" \
		-v rss="$rss" -v anon="$anon" -v file="$file" 'BEGIN {
		printf "| %-7s | %8.2f | %10.3f | %8d | %8d | %7d | %7.1f | %7.1f | %7.1f |", n, (t1 - t0) / hz, (r1 - r0) / 1e6,
			v1 - v0, i1 - i0, th, rss, anon, file }')")
}

measure tray "" "$dir/keywarden" tray
if [ "${BENCH_WATCH:-1}" != 0 ]; then
	mkdir -p "$dir/watched"
	go run ./.ci/bench/seed "$dir/watched" "$keys" watch
	KEYWARDEN_DIR=$dir/watched measure watched "" "$dir/keywarden" tray
fi
KEYWARDEN_NO_TRAY=1 measure window Keywarden "$dir/keywarden"
measure bare "Bare Fyne window" "$dir/bare"

# The idle close: the window set to close after 1 minute without input
# exits by itself (checked once a minute, so after 60–120 s); from then on
# only the tray part runs. BENCH_IDLE_CLOSE=0 skips it.
idle_note=
if [ "${BENCH_IDLE_CLOSE:-1}" != 0 ]; then
	echo "measuring the idle close (up to 3 min)…" >&2
	"$dir/keywarden" settings set idle-close-minutes 1 >/dev/null
	start=$(date +%s)
	KEYWARDEN_NO_TRAY=1 "$dir/keywarden" >"$dir/idle.log" 2>&1 &
	pid=$!
	pids+=("$pid")
	while kill -0 "$pid" 2>/dev/null && [ $(($(date +%s) - start)) -lt 180 ]; do sleep 1; done
	if kill -0 "$pid" 2>/dev/null; then
		idle_note="The window set to close after 1 minute without input was still open after 180 s."
		kill -TERM "$pid"
	else
		idle_note="The window set to close after 1 minute without input closed itself after $(($(date +%s) - start)) s; from then on it costs nothing: only the tray part (first row) runs."
	fi
	"$dir/keywarden" settings set idle-close-minutes 10 >/dev/null
fi

echo
echo "Idle for ${secs} s after ${settle} s of settling, $keys keys, Xvfb + private D-Bus ($(nproc) cores, $(go version | awk '{print $3}')):"
echo
echo "| state   | CPU s    | CPU ms     | vol. cs  | invol.cs | threads | RSS MiB | anon    | file    |"
echo "|---------|----------|------------|----------|----------|---------|---------|---------|---------|"
printf '%s\n' "${results[@]}"
echo
echo "CPU s: utime+stime (1/$hz s ticks); CPU ms: the threads' run time (schedstat); cs: context switches,"
echo "all threads. anon: the process's own memory; file: the mapped program and libraries (page cache)."
if [ -n "$idle_note" ]; then
	echo
	echo "$idle_note"
fi
if grep -q . "$dir/tray.log"; then
	echo
	echo "The tray part said:"
	sed 's/^/  /' "$dir/tray.log"
fi
if [ -f "$dir/watched.log" ] && grep -q . "$dir/watched.log"; then
	echo
	echo "The tray part with an account watched said:"
	sed 's/^/  /' "$dir/watched.log"
fi
