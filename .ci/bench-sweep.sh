#!/usr/bin/env bash
# make bench-sweep: what `keywarden sweep` costs beside a plain
# `grep -rF` for one string over the same tree. Builds the program, makes a
# synthetic home of BENCH_FILES (default 20 000) small files with a git
# repository and BENCH_KEYS (default 20) stored keys (key list in a
# temporary folder, secrets in a private gnome-keyring: .ci/session.sh), and
# copies of some keys planted about it. Then, BENCH_REPS (default 5) times,
# one after the other in the same run: grep -rF for one planted key, the
# sweep (every key, every form, the git history, one keyring read per key),
# and the sweep without git histories. Prints each run, the medians and the
# ratio sweep / grep. Everything warm: one untimed run of each first.
set -euo pipefail
export LANG=en_US.UTF-8
files=${BENCH_FILES:-20000}
keys=${BENCH_KEYS:-20}
reps=${BENCH_REPS:-5}
root=$(cd "$(dirname "$0")/.." && pwd)

if [ "${KEYWARDEN_IN_SESSION:-}" != 1 ]; then
	exec "$root/.ci/session.sh" "$0" "$@"
fi

dir=$(mktemp -d /tmp/keywarden-bench-sweep.XXXXXX)
trap 'rm -rf "$dir"' EXIT
export KEYWARDEN_DIR=$dir/keys
# Nothing in a run may reach Kraken: a closed port on this computer.
export KEYWARDEN_KRAKEN_URL=http://127.0.0.1:9

cd "$root"
echo "building keywarden…" >&2
go build -o "$dir/keywarden" .
echo "making a home of $files files with $keys stored keys…" >&2
go run ./.ci/bench/sweephome "$dir/home" "$files" "$keys" "$dir/needle"
needle=$(cat "$dir/needle")
nfiles=$(find "$dir/home" -type f | wc -l)

# ms COMMAND...: runs it, prints its wall time in milliseconds. Exit codes
# 0 (grep found it) and 3 (the sweep found something) are the expected ones.
ms() {
	local t0 t1 rc=0
	t0=$(date +%s%N)
	"$@" >/dev/null 2>"$dir/err" || rc=$?
	t1=$(date +%s%N)
	if [ "$rc" != 0 ] && [ "$rc" != 3 ]; then
		echo "bench-sweep: $* exited $rc:" >&2
		cat "$dir/err" >&2
		exit 1
	fi
	echo $(((t1 - t0) / 1000000))
}

grep_run() { grep -rF -- "$needle" "$dir/home"; }
sweep_run() { "$dir/keywarden" sweep "$dir/home"; }
sweep_nogit() { "$dir/keywarden" sweep --no-git "$dir/home"; }

# What the sweep finds, once (names and places only: it never prints a key).
"$dir/keywarden" sweep "$dir/home" >"$dir/found" 2>&1 || true
grep -E '^(Found|Swept|Skipped)' "$dir/found" >&2 || true

ms grep_run >/dev/null
ms sweep_run >/dev/null
g=() s=() n=()
for i in $(seq "$reps"); do
	g+=("$(ms grep_run)")
	s+=("$(ms sweep_run)")
	n+=("$(ms sweep_nogit)")
	echo "run $i: grep -rF ${g[-1]} ms, sweep ${s[-1]} ms, sweep --no-git ${n[-1]} ms" >&2
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
mg=$(median "${g[@]}") ms_=$(median "${s[@]}") mn=$(median "${n[@]}")
echo
echo "Sweep of $nfiles files ($(du -sh "$dir/home" | cut -f1)), $keys stored keys, $reps runs each, medians ($(nproc) cores, $(go version | awk '{print $3}')):"
echo
echo "| command | median | runs (ms) | ratio to grep |"
echo "|---|---|---|---|"
echo "| grep -rF ONE-KEY | $mg ms | ${g[*]} | 1 |"
awk -v a="$ms_" -v b="$mg" -v r="${s[*]}" 'BEGIN { printf "| keywarden sweep | %d ms | %s | %.2f |\n", a, r, a / b }'
awk -v a="$mn" -v b="$mg" -v r="${n[*]}" 'BEGIN { printf "| keywarden sweep --no-git | %d ms | %s | %.2f |\n", a, r, a / b }'
echo
awk -v a="$ms_" -v b="$mg" 'BEGIN { if (a <= 3 * b) print "Goal met: the sweep costs at most 3 × grep -rF."; else print "Goal missed: the sweep costs more than 3 × grep -rF." }'
