#!/usr/bin/env bash
# make sweep-corpus: what `keywarden sweep` finds, misses and reports
# wrongly on a corpus like issue 21's, and what it costs beside grep -rF.
# Builds the program; copies CORPUS_FILES (default 21 000) ordinary files
# from this machine (/usr/share/doc with its .gz files, /usr/include, the
# Go module cache); plants 19 copies of 5 stored keys in the forms bots
# and people write them (key list in a temporary folder, secrets in a
# private gnome-keyring: .ci/session.sh), among them a log of
# CORPUS_BIG_MIB (default 64) MiB and a bot repository of 32 commits, 3
# Kraken keys not in the key list and 20 decoys (.ci/bench/sweepcorpus).
# Scores the sweep's --json report (found, missed, false, and where), and
# grep -rF -f with the 10 stored values as they are; with CORPUS_OLD=BINARY
# also an older keywarden on the same corpus. Then CORPUS_REPS (default 5)
# timed runs of each, one after the other, and their medians.
set -euo pipefail
export LANG=en_US.UTF-8
files=${CORPUS_FILES:-21000}
big=${CORPUS_BIG_MIB:-64}
reps=${CORPUS_REPS:-5}
old=${CORPUS_OLD:-}
root=$(cd "$(dirname "$0")/.." && pwd)

if [ "${KEYWARDEN_IN_SESSION:-}" != 1 ]; then
	exec "$root/.ci/session.sh" "$0" "$@"
fi

dir=$(mktemp -d /tmp/keywarden-sweep-corpus.XXXXXX)
trap 'rm -rf "$dir"' EXIT
export KEYWARDEN_DIR=$dir/keys
# Nothing in a run may reach Kraken: a closed port on this computer.
export KEYWARDEN_KRAKEN_URL=http://127.0.0.1:9

cd "$root"
echo "building keywarden…" >&2
go build -o "$dir/keywarden" .
go build -o "$dir/sweepcorpus" ./.ci/bench/sweepcorpus
echo "making the corpus…" >&2
"$dir/sweepcorpus" build "$dir" "$files" "$big"
nfiles=$(find "$dir/home" -type f -not -path '*/.git/*' | wc -l)

# found/missed/false, once each (the reports name places only, never a key)
"$dir/keywarden" sweep --json "$dir/home" >"$dir/new.json" 2>"$dir/err" || [ $? = 3 ]
echo "keywarden sweep (this build):"
"$dir/sweepcorpus" score "$dir" "$dir/new.json"
if [ -n "$old" ]; then
	"$old" sweep --json "$dir/home" >"$dir/old.json" 2>"$dir/err" || [ $? = 3 ]
	echo "keywarden sweep ($old):"
	"$dir/sweepcorpus" score "$dir" "$dir/old.json"
fi
grep -rF -o -f "$dir/needles" "$dir/home" >"$dir/grep.out" || true
echo "grep -rF -f (the 10 stored values as they are):"
"$dir/sweepcorpus" grep "$dir" "$dir/grep.out"

# What the sweep read: gzip files unpacked, files over 16 MiB streamed.
grep -oE '"(files|packed|large|binary|tooBig)": *[0-9]+' "$dir/new.json" | tr '\n' ' ' || true
echo

# ms COMMAND...: runs it, prints its wall time and its CPU time (user +
# system, all threads and children) in milliseconds. Exit codes 0 (grep
# found it) and 3 (the sweep found something) are the expected ones.
ms() {
	local t0 t1 rc=0
	t0=$(date +%s%N)
	/usr/bin/time -f '%U %S' -o "$dir/cpu" "$@" >/dev/null 2>"$dir/err" || rc=$?
	t1=$(date +%s%N)
	if [ "$rc" != 0 ] && [ "$rc" != 3 ]; then
		echo "sweep-corpus: $* exited $rc:" >&2
		cat "$dir/err" >&2
		exit 1
	fi
	echo "$(((t1 - t0) / 1000000)) $(tail -n 1 "$dir/cpu" | awk '{ printf "%d", ($1 + $2) * 1000 }')"
}

ms grep -rF -f "$dir/needles" "$dir/home" >/dev/null
ms "$dir/keywarden" sweep "$dir/home" >/dev/null
g=() n=() o=() gc=() nc=() oc=()
for i in $(seq "$reps"); do
	read -r w c < <(ms grep -rF -f "$dir/needles" "$dir/home")
	g+=("$w") gc+=("$c")
	read -r w c < <(ms "$dir/keywarden" sweep "$dir/home")
	n+=("$w") nc+=("$c")
	line="run $i: grep -rF ${g[-1]} ms (CPU ${gc[-1]}), sweep ${n[-1]} ms (CPU ${nc[-1]})"
	if [ -n "$old" ]; then
		read -r w c < <(ms "$old" sweep "$dir/home")
		o+=("$w") oc+=("$c")
		line+=", older sweep ${o[-1]} ms (CPU ${oc[-1]})"
	fi
	echo "$line" >&2
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
row() { # NAME WALL-RUNS... -- CPU-RUNS...
	local name=$1 w=() c=()
	shift
	while [ "$1" != -- ]; do w+=("$1"); shift; done
	shift
	c=("$@")
	awk -v n="$name" -v a="$(median "${w[@]}")" -v b="$mg" -v r="${w[*]}" -v ca="$(median "${c[@]}")" -v cb="$mgc" \
		'BEGIN { printf "| %s | %d ms | %s | %.2f | %d ms | %.2f |\n", n, a, r, a / b, ca, ca / cb }'
}
mg=$(median "${g[@]}") mgc=$(median "${gc[@]}")
echo
echo "Corpus of $nfiles files ($(du -sh --exclude=.git "$dir/home" | cut -f1)), $reps runs each, medians ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)):"
echo
echo "| command | wall, median | runs (ms) | ÷ grep | CPU, median | ÷ grep |"
echo "|---|---|---|---|---|---|"
row "grep -rF -f (10 values)" "${g[@]}" -- "${gc[@]}"
row "keywarden sweep" "${n[@]}" -- "${nc[@]}"
if [ -n "$old" ]; then
	row "$old sweep" "${o[@]}" -- "${oc[@]}"
fi
