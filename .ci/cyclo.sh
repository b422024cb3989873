#!/usr/bin/env bash
# The complexity gate of `make test`: no function outside the tests over
# cyclomatic complexity 20 (gocyclo, github.com/fzipp/gocyclo). A function
# over it is split into well-named smaller ones. Test functions are left
# out: a test reads as one story of steps and checks, and its branches are
# the checks.
set -u
GO=${GO:-go}
MAX=20
# Functions still over the limit, each named with why it waits. Keep this
# list short and empty it.
later=()
out=$("$GO" run github.com/fzipp/gocyclo/cmd/gocyclo@v0.6.0 -over "$MAX" -ignore '_test\.go$' . 2>&1)
rc=$?
over=$(printf '%s\n' "$out" | grep -E '^[0-9]+ ' || true)
if [ "$rc" -ne 0 ] && [ -z "$over" ]; then
	# gocyclo itself failed (not found, not built): the gate did not run.
	printf '%s\n' "$out" >&2
	echo "keywarden: the complexity gate (gocyclo) could not run" >&2
	exit 1
fi
for f in "${later[@]}"; do
	over=$(printf '%s\n' "$over" | grep -v -F " $f " || true)
done
if [ -n "$over" ]; then
	echo "keywarden: these functions are over cyclomatic complexity $MAX; split them into smaller, well-named ones:" >&2
	printf '%s\n' "$over" >&2
	exit 1
fi
