#!/usr/bin/env bash
# make bench-sweep: what `keywarden sweep` costs beside a plain
# `grep -rF` for one string over the same tree. Builds the program, makes a
# synthetic home of BENCH_FILES (default 20 000) small files with a git
# repository and BENCH_KEYS (default 20) stored keys (key list in a
# temporary folder, secrets in a private gnome-keyring: .ci/session.sh), and
# copies of some keys planted about it. Then, BENCH_REPS (default 5) times,
# one after the other in the same run: grep -rF for one planted key, the
# sweep (every key, every form, the git history, one keyring read per key),
# and the sweep without git histories, and gitleaks over the same home
# (`gitleaks dir`: Debian's package when apt has one, else v8.30.1 built with
# go install into ~/.cache/keywarden/bin; the output says which, or that none
# could be had, and the rest still runs). Prints each run, the medians and
# the ratio to grep, and fails when the sweep takes more than 3 times grep.
# gitleaks runs in the first BENCH_GITLEAKS_REPS (default 1) runs only.
# Then times `keywarden sweep --staged` (what the pre-commit hook runs: the
# program's start, the 20 keyring reads, the check) on a typical staged
# change in the home's repository. Everything warm: one untimed run of each
# first.
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

# find_gitleaks sets gitleaks (the program) and gitleaks_from (where it
# came from), installing it if it is missing: Debian's package with apt,
# else the Go module with go install; both empty when neither works.
gitleaks_version=v8.30.1
find_gitleaks() {
	local bin=$HOME/.cache/keywarden/bin sudo=()
	gitleaks='' gitleaks_from=''
	if command -v gitleaks >/dev/null 2>&1; then
		gitleaks=$(command -v gitleaks) gitleaks_from="already installed ($gitleaks)"
		return
	fi
	if [ -x "$bin/gitleaks" ]; then
		gitleaks=$bin/gitleaks gitleaks_from="go install $gitleaks_version, built earlier into $bin"
		return
	fi
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	if command -v apt-get >/dev/null 2>&1 && apt-cache show gitleaks >/dev/null 2>&1 &&
		DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends gitleaks >&2; then
		gitleaks=$(command -v gitleaks) gitleaks_from="Debian's gitleaks package, installed by this run"
		return
	fi
	echo "bench-sweep: apt has no gitleaks package here; building gitleaks $gitleaks_version with go install…" >&2
	if GOBIN=$bin go install "github.com/zricethezav/gitleaks/v8@$gitleaks_version" >&2; then
		gitleaks=$bin/gitleaks gitleaks_from="go install $gitleaks_version into $bin, by this run (apt has no gitleaks package here)"
	fi
}
find_gitleaks
gitleaks_run() { "$gitleaks" dir --no-banner --log-level error --redact --exit-code 0 --report-format json --report-path "$dir/gitleaks.json" "$dir/home"; }

ms grep_run >/dev/null
ms sweep_run >/dev/null
# gitleaks takes minutes on a busy machine: it runs in the first
# BENCH_GITLEAKS_REPS runs only (default 1), without an untimed run (grep
# and the sweep have warmed the file cache).
gitleaks_reps=${BENCH_GITLEAKS_REPS:-1}
g=() s=() n=() l=()
for i in $(seq "$reps"); do
	g+=("$(ms grep_run)")
	s+=("$(ms sweep_run)")
	n+=("$(ms sweep_nogit)")
	line="run $i: grep -rF ${g[-1]} ms, sweep ${s[-1]} ms, sweep --no-git ${n[-1]} ms"
	if [ -n "$gitleaks" ] && [ "$i" -le "$gitleaks_reps" ]; then
		l+=("$(ms gitleaks_run)")
		line+=", gitleaks dir ${l[-1]} ms"
	fi
	echo "$line" >&2
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
if [ -n "$gitleaks" ]; then
	ml=$(median "${l[@]}")
	findings=$(grep -o '"RuleID"' "$dir/gitleaks.json" | wc -l)
	flagged=$(grep -o '"File": *"[^"]*"' "$dir/gitleaks.json" | sort -u | wc -l)
	awk -v a="$ml" -v b="$mg" -v r="${l[*]}" -v f="$findings" -v ff="$flagged" 'BEGIN { printf "| gitleaks dir (%d findings in %d files) | %d ms | %s | %.2f |\n", f, ff, a, r, a / b }'
	echo
	echo "gitleaks: $("$gitleaks" version 2>/dev/null || echo unknown version), from $gitleaks_from."
else
	echo
	echo "gitleaks: not measured: it is not installed, apt has no package for it here, and go install of $gitleaks_version failed (see above)."
fi
echo "keywarden sweep found: $(grep -E '^Found' "$dir/found" || echo nothing)"

# The pre-commit check: a typical staged change (five files changed, no
# key) in the home's repository, the whole program timed.
repo=$dir/home/projects/repo
for i in 0 1 2 3 4; do
	echo "// a staged change $i" >>"$repo/pkg0$i/f19.go"
done
GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 git -C "$repo" add -A
staged_run() { (cd "$repo" && "$dir/keywarden" sweep --staged); }
ms staged_run >/dev/null
c=()
for i in $(seq "$reps"); do c+=("$(ms staged_run)"); done
echo "keywarden sweep --staged (5 staged files, $keys stored keys, the program's start and keyring reads included): median $(median "${c[@]}") ms, runs ${c[*]} ms; the check alone: go test -bench BenchmarkStaged ./app/sweep"
echo

awk -v a="$ms_" -v b="$mg" 'BEGIN { if (a <= 3 * b) print "Goal met: the sweep costs at most 3 × grep -rF."; else print "Goal missed: the sweep costs more than 3 × grep -rF." }'
if awk -v a="$ms_" -v b="$mg" 'BEGIN { exit !(a > 3 * b) }'; then
	echo "bench-sweep: the sweep took more than 3 times grep ($ms_ ms against $mg ms): the bar is missed." >&2
	exit 1
fi
