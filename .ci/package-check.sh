#!/usr/bin/env bash
# make package-check: makes dist/Keywarden.tar.xz (.ci/package.sh package)
# and checks it for real, in a private session (.ci/session.sh) and
# temporary homes, never yours:
#   - the tarball holds the binary, the .desktop entry, the icon, the man page
#     and the completions, nothing else; install puts the man page where man
#     finds it
#   - the entry: Exec is the bare program (no arguments: it opens the window),
#     Name, Icon, Comment, Categories, Keywords from FyneApp.toml,
#     StartupWMClass; desktop-file-validate finds no error
#   - the icon is assets/icon.png, 512x512; the binary runs `keywarden help`
#   - install and uninstall in an empty home leave it empty again; in a home
#     with other files, only those stay; a home with a space in its path
#     gets a quoted Exec
#   - started the way the desktop does (gio launch of the installed entry),
#     the window opens with WM_CLASS = StartupWMClass, and the tray part starts
# Not part of make test: the first package build takes minutes.
set -euo pipefail
export LANG=en_US.UTF-8
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
root=$(dirname "$(dirname "$self")")
cd "$root"

NAME=Keywarden
APP_ID=io.github.keywarden.Keywarden
EXE=keywarden

if [ "${KEYWARDEN_IN_SESSION:-}" != 1 ]; then
	.ci/package.sh package
	exec .ci/session.sh "$self" "$@"
fi

work=$(mktemp -d /tmp/keywarden-package-check.XXXXXX)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

failures=0 hints=
ok() { echo "package-check: ok   $*"; }
fail() {
	echo "package-check: FAIL $*" >&2
	failures=$((failures + 1))
}
# expect WHAT GOT WANT
expect() {
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: got '$2', want '$3'"; fi
}
# key FILE KEY: the value of KEY in a .desktop file's [Desktop Entry] group
key() {
	awk -v k="$2" '/^\[/ { g = $0 } g == "[Desktop Entry]" && index($0, k "=") == 1 { print substr($0, length(k) + 2); exit }' "$1"
}
# toml KEY: a string value from FyneApp.toml; toml_list KEY: a list, as a .desktop list
toml() { sed -n "s/^ *$1 = \"\(.*\)\"\$/\1/p" FyneApp.toml | head -n1; }
toml_list() { sed -n "s/^ *$1 = \[\(.*\)\]\$/\1/p" FyneApp.toml | head -n1 | sed 's/", *"/;/g; s/^"//; s/"$/;/'; }
validate() {
	if ! command -v desktop-file-validate >/dev/null 2>&1; then
		echo "package-check: (desktop-file-validate is not installed: apt-get install desktop-file-utils)"
	elif out=$(desktop-file-validate "$1" 2>&1); then
		ok "desktop-file-validate $2"
		out=${out//"$1: "/}
		if [ -n "$out" ] && [ "$out" != "$hints" ]; then echo "package-check:      $out"; fi
		hints=$out
	else
		fail "desktop-file-validate $2: $out"
	fi
}
# listing DIR: every path under DIR, for comparing a home before and after
listing() { (cd "$1" && find . -mindepth 1 | sort); }

# --- the tarball
tarball=dist/$NAME.tar.xz
mkdir "$work/unpacked"
tar -C "$work/unpacked" -xJf "$tarball"
files=$(cd "$work/unpacked" && find . -type f | sort | tr '\n' ' ')
prefix=usr/local
[ -d "$work/unpacked/$EXE/usr/local" ] || prefix=usr
expect "tarball holds the binary, the entry, the icon, fyne's Makefile, the man page and completions" "$files" \
	"./$EXE/Makefile ./$EXE/$prefix/bin/$EXE ./$EXE/$prefix/share/applications/$APP_ID.desktop ./$EXE/$prefix/share/bash-completion/completions/$EXE ./$EXE/$prefix/share/fish/vendor_completions.d/$EXE.fish ./$EXE/$prefix/share/man/man1/$EXE.1.gz ./$EXE/$prefix/share/pixmaps/$APP_ID.png ./$EXE/$prefix/share/zsh/vendor-completions/_$EXE "
pkg=$work/unpacked/$EXE/$prefix
entry=$pkg/share/applications/$APP_ID.desktop

expect "Type" "$(key "$entry" Type)" Application
expect "Name" "$(key "$entry" Name)" "$(toml Name)"
expect "Exec: the bare program, no arguments (opens the window)" "$(key "$entry" Exec)" "$EXE"
expect "Icon" "$(key "$entry" Icon)" "$(toml ID)"
expect "Comment" "$(key "$entry" Comment)" "$(toml Comment)"
expect "GenericName" "$(key "$entry" GenericName)" "$(toml GenericName)"
expect "Categories" "$(key "$entry" Categories)" "$(toml_list Categories)"
expect "Keywords" "$(key "$entry" Keywords)" "$(toml_list Keywords)"
expect "StartupWMClass (GLFW's WM_CLASS is the window title)" "$(key "$entry" StartupWMClass)" "$NAME"
case $(key "$entry" Terminal) in "" | false) ok "Terminal: absent or false (no terminal)" ;; *) fail "Terminal=$(key "$entry" Terminal)" ;; esac
validate "$entry" "(tarball)"

icon=$pkg/share/pixmaps/$APP_ID.png
if cmp -s "$icon" assets/icon.png; then ok "icon is assets/icon.png"; else fail "icon differs from assets/icon.png"; fi
expect "icon is a 512x512 PNG" "$(od -An -tx1 -N8 "$icon" | tr -d ' ')/$(od -An -tu4 --endian=big -j16 -N8 "$icon" | tr -s ' ')" \
	"89504e470d0a1a0a/ 512 512"
bin=$pkg/bin/$EXE
if readelf -S "$bin" 2>/dev/null | grep -q '\.symtab'; then fail "binary has a symbol table (not a --release build)"; else ok "binary is stripped (--release)"; fi
if out=$(HOME=$work "$bin" help 2>&1) && grep -q '^Commands:' <<<"$out"; then ok "keywarden help runs"; else fail "keywarden help: $out"; fi

# --- install and uninstall
# in_home HOME CMD...: runs CMD with that home and the default XDG folders
in_home() {
	local h=$1
	shift
	env -u XDG_DATA_HOME -u XDG_CONFIG_HOME HOME="$h" PATH="/usr/bin:/bin" "$@"
}
check_installed() {
	local h=$1 want_exec=$2
	local b=$h/.local/bin/$EXE d=$h/.local/share/applications/$APP_ID.desktop
	local i=$h/.local/share/icons/hicolor/512x512/apps/$APP_ID.png
	if [ -x "$b" ] && cmp -s "$b" "$bin"; then ok "installed $b"; else fail "no program at $b"; fi
	if cmp -s "$i" "$icon"; then ok "installed $i"; else fail "no icon at $i"; fi
	expect "installed entry's Exec is the full path" "$(key "$d" Exec)" "$want_exec"
	expect "installed entry is the packaged one but for Exec" "$(grep -v '^Exec=' "$d")" "$(grep -v '^Exec=' "$entry")"
	validate "$d" "(installed)"
	local doc
	for doc in man/man1/$EXE.1.gz bash-completion/completions/$EXE fish/vendor_completions.d/$EXE.fish zsh/site-functions/_$EXE; do
		if [ -s "$h/.local/share/$doc" ]; then ok "installed ~/.local/share/$doc"; else fail "no ~/.local/share/$doc"; fi
	done
	# man finds the page beside ~/.local/bin, as it would for the person.
	if out=$(env -u MANPATH LC_ALL=C.UTF-8 HOME="$h" PATH="$h/.local/bin:/usr/bin:/bin" man -w "$EXE" 2>&1) && [ "$out" = "$h/.local/share/man/man1/$EXE.1.gz" ]; then
		ok "man $EXE finds the installed page"
	else
		fail "man -w $EXE: $out"
	fi
}

h=$work/empty-home
mkdir "$h"
out=$(in_home "$h" .ci/package.sh install)
if grep -q "is not on your PATH" <<<"$out"; then ok "install says ~/.local/bin is not on PATH"; else fail "no PATH hint: $out"; fi
check_installed "$h" "$h/.local/bin/$EXE"
if out=$(in_home "$h" "$h/.local/bin/$EXE" help 2>&1) && grep -q '^Commands:' <<<"$out"; then
	ok "installed keywarden help runs"
else
	fail "installed keywarden help: $out"
fi
in_home "$h" .ci/package.sh install >/dev/null
ok "install a second time"
in_home "$h" .ci/package.sh uninstall >/dev/null
expect "uninstall leaves the empty home empty" "$(listing "$h")" ""

h=$work/busy-home
mkdir -p "$h/.local/bin" "$h/.local/share/applications" "$h/.local/share/icons/hicolor" "$h/.config/keywarden"
touch "$h/.local/bin/other" "$h/.local/share/applications/other.desktop" "$h/.config/keywarden/keys.json"
before=$(listing "$h")
in_home "$h" .ci/package.sh install >/dev/null
check_installed "$h" "$h/.local/bin/$EXE"
in_home "$h" .ci/package.sh uninstall >/dev/null
expect "uninstall keeps what was there before" "$(listing "$h")" "$before"

h="$work/a home"
mkdir "$h"
in_home "$h" .ci/package.sh install >/dev/null
check_installed "$h" "\"$h/.local/bin/$EXE\""
in_home "$h" .ci/package.sh uninstall >/dev/null
expect "uninstall (a home with a space)" "$(listing "$h")" ""

# --- start it as the desktop does
# procs_of BIN: the processes running BIN (by /proc/PID/exe), as "PID ARGS" lines
procs_of() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2>/dev/null)" = "$1" ] || continue
		echo "${p#/proc/} $(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)"
	done
}
if [ -z "${DISPLAY:-}" ]; then
	fail "no X display: the start-up check did not run"
else
	h=$work/desktop-home
	mkdir "$h"
	in_home "$h" .ci/package.sh install >/dev/null
	b=$h/.local/bin/$EXE
	d=$h/.local/share/applications/$APP_ID.desktop
	if command -v gio >/dev/null 2>&1; then
		how="gio launch"
		HOME=$h gio launch "$d" >"$work/launch.log" 2>&1 &
	else
		how="the entry's Exec"
		HOME=$h "$(key "$d" Exec)" >"$work/launch.log" 2>&1 &
	fi
	win=
	for _ in $(seq 100); do
		win=$(xdotool search --onlyvisible --name "^$NAME" 2>/dev/null | head -n1 || true)
		[ -n "$win" ] && break
		sleep 0.1
	done
	if [ -n "$win" ]; then
		ok "$how opens the window"
		expect "window's WM_CLASS matches StartupWMClass" "$(xprop -id "$win" WM_CLASS)" \
			"WM_CLASS(STRING) = \"$NAME\", \"$NAME\""
	else
		fail "$how: no window within 10 s; its output: $(cat "$work/launch.log")"
	fi
	tray=
	for _ in $(seq 50); do
		tray=$(procs_of "$b" | awk '$3 == "tray" { print $1 }' | head -n1)
		[ -n "$tray" ] && break
		sleep 0.1
	done
	if [ -n "$tray" ]; then ok "the window started the tray part"; else fail "no tray part: $(procs_of "$b")"; fi

	# Stop them as a desktop would (SIGTERM), then make sure.
	mapfile -t started < <(procs_of "$b" | cut -d' ' -f1)
	pids+=("${started[@]}")
	for p in "${started[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for _ in $(seq 100); do
		[ -z "$(procs_of "$b")" ] && break
		sleep 0.1
	done
	if [ -n "$(procs_of "$b")" ]; then echo "package-check: (killed what had not quit 10 s after SIGTERM)"; fi
	in_home "$h" .ci/package.sh uninstall >/dev/null
fi

if [ "$failures" -gt 0 ]; then
	echo "package-check: $failures check(s) failed" >&2
	exit 1
fi
echo "package-check: all checks passed"
