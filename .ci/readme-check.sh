#!/bin/sh
# readme-check.sh [REV]: the README stays a user's README (under 250 lines), and every test,
# fuzz and benchmark name the README cited at REV (default: the last commit before the README
# was split, issue 19) still appears in README.md, .ci/README.md or a Go comment.
set -eu
cd "$(dirname "$0")/.."
rev=${1:-0a5af84}
lines=$(wc -l < README.md)
status=0
if [ "$lines" -ge 250 ]; then echo "README.md has $lines lines; keep it under 250"; status=1; fi
names=$(git show "$rev:README.md" | grep -o '`\(Test\|Fuzz\|Benchmark\)[A-Za-z0-9_*]*`' | tr -d '`' | sort -u)
for n in $names; do
	grep -qF "$n" README.md .ci/README.md && continue
	git grep -qE "^[[:space:]]*//.*$(printf %s "$n" | sed 's/\*/\\*/g')" -- '*.go' && continue
	echo "$n was cited at $rev and is cited nowhere now"
	status=1
done
[ "$status" = 0 ] && echo "README.md: $lines lines; all $(echo "$names" | wc -l) cited names still cited"
exit "$status"
