#!/usr/bin/env bash
# Says, before `make run` builds, when the build will be the long first one:
# Fyne's graphics driver (go-gl's C code) is not in the Go build cache yet,
# and compiling it takes minutes during which `go run .` prints nothing
# (issue 24: about 4 minutes on a 2-core machine). Silent otherwise. It never
# fails the run: a `go list` that cannot answer says nothing.
set -u
GO=${GO:-go}
stale=$("$GO" list -f '{{.Stale}}' github.com/go-gl/gl/v2.1/gl github.com/go-gl/glfw/v3.3/glfw 2>/dev/null) || exit 0
case $stale in
*true*)
	echo "keywarden: first build: compiling Fyne's graphics driver (C code) takes a few minutes" \
		"(about 4 on a 2-core machine) and prints nothing meanwhile; the window opens when it is done." \
		"Later starts take seconds."
	;;
esac
exit 0
