#!/usr/bin/env bash
# Makes (once) the private Wine prefix Keywarden's Windows tests run in, and
# prints its path. Never the user's own ~/.wine.
#   .ci/wine/prefix.sh [DIR]     default: $KEYWARDEN_WINEPREFIX, else
#                                ~/.cache/keywarden/wineprefix
# It puts the bcryptprimitives.dll stand-in (a test fixture, see
# bcryptprimitives.c) into the prefix when Wine is older than 8.13, and
# DejaVu Sans into its Fonts folder (for glyphs Fyne's font lacks).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prefix=${1:-${KEYWARDEN_WINEPREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/keywarden/wineprefix}}
export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
log=$(dirname "$prefix")/wineprefix.log
mkdir -p "$(dirname "$prefix")"

if [ ! -f "$prefix/system.reg" ]; then
	# Output to a file: wineserver keeps a pipe open until it exits.
	wineboot --init >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
	wineserver -w
fi

sys32=$prefix/drive_c/windows/system32
ver=$(wine --version 2>/dev/null | sed -n 's/^wine-\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
read -r major minor <<<"${ver:-0 0}"
if [ "$major" -lt 8 ] || { [ "$major" -eq 8 ] && [ "$minor" -lt 13 ]; }; then
	dll=$sys32/bcryptprimitives.dll
	if [ ! -f "$dll" ] || [ "$here/bcryptprimitives.c" -nt "$dll" ]; then
		x86_64-w64-mingw32-gcc -O2 -shared -o "$dll.new" \
			"$here/bcryptprimitives.c" "$here/bcryptprimitives.def" -ladvapi32
		mv "$dll.new" "$dll"
	fi
fi

fonts=$prefix/drive_c/windows/Fonts
for f in /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf; do
	[ -f "$f" ] && [ ! -f "$fonts/$(basename "$f")" ] && cp "$f" "$fonts/"
done
echo "$prefix"
