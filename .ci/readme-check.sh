#!/bin/sh
# readme-check.sh [REV]: the README stays a user's README (under 250 lines), and every test,
# fuzz and benchmark name the README cited at REV (default: the last commit before the README
# was split, issue 19) still appears in README.md, .ci/README.md or a Go comment; and every such
# name the two READMEs cite now is a test that exists (a claim is held by a real test).
set -eu
cd "$(dirname "$0")/.."
rev=${1:-0a5af84}
lines=$(wc -l < README.md)
status=0
if [ "$lines" -ge 250 ]; then echo "README.md has $lines lines; keep it under 250"; status=1; fi
names=
if git cat-file -e "$rev:README.md" 2>/dev/null; then
	names=$(git show "$rev:README.md" | grep -o '`\(Test\|Fuzz\|Benchmark\)[A-Za-z0-9_*]*`' | tr -d '`' | sort -u)
else
	echo "readme-check: $rev is not in this clone (shallow?), so the README is not compared with it"
fi
for n in $names; do
	grep -qF "$n" README.md .ci/README.md && continue
	git grep -qE "^[[:space:]]*//.*$(printf %s "$n" | sed 's/\*/\\*/g')" -- '*.go' && continue
	echo "$n was cited at $rev and is cited nowhere now"
	status=1
done
for n in $(grep -oh '`\(Test\|Fuzz\|Benchmark\)[A-Za-z0-9_]*`' README.md .ci/README.md | tr -d '`' | sort -u); do
	git grep -qE "func $n\b" -- '*.go' && continue
	echo "$n is cited in a README but no such test exists"
	status=1
done
[ "$status" = 0 ] && echo "README.md: $lines lines; all $(echo "$names" | wc -l) cited names still cited"
exit "$status"
