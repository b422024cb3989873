#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Keywarden needs, if any are missing.
#   .ci/packages.sh run    what building and running the app needs
#   .ci/packages.sh test   that, plus what the tests need (keyring, D-Bus, Xvfb)
#   .ci/packages.sh windows  that, plus what `make windows` and `make
#                          test-windows` need: mingw-w64 and Wine (~3 min,
#                          ~265 MB download, ~1.4 GB on disk)
#   .ci/packages.sh deb    that of test, plus what make deb and deb-check need
#   .ci/packages.sh setup  that of windows, plus NSIS for the Windows installer
set -euo pipefail

build_pkgs=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
	libxinerama-dev libxi-dev libxxf86vm-dev)
# bash, zsh, fish and man run the completions and the man page in app/cli's tests;
# dunst is a real notification daemon for app/tray's tests.
test_pkgs=(gnome-keyring libsecret-tools dbus dbus-daemon xvfb xdotool x11-utils imagemagick
	bash zsh fish man-db dunst)
deb_pkgs=(dpkg-dev lintian appstream desktop-file-utils)
setup_pkgs=(nsis)
# Debian 12 has no wine64 command: the wine package runs 64-bit programs.
windows_pkgs=(gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 wine wine64 fonts-dejavu-core python3)

want=("${build_pkgs[@]}")
case "${1:-run}" in
test) want+=("${test_pkgs[@]}") ;;
windows) want+=("${test_pkgs[@]}" "${windows_pkgs[@]}") ;;
deb) want+=("${test_pkgs[@]}" "${deb_pkgs[@]}") ;;
setup) want+=("${test_pkgs[@]}" "${windows_pkgs[@]}" "${setup_pkgs[@]}") ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "keywarden: this is not a Debian/Ubuntu system; install the equivalents of: ${want[*]}" >&2
	exit 0
fi

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "keywarden: installing missing system packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null 2>&1; then
	sudo=(sudo)
else
	echo "keywarden: these packages are missing and I cannot install them without root or sudo:" >&2
	echo "  apt-get install ${missing[*]}" >&2
	echo "Ask an administrator to run that line, then try again." >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Wine is installed with its recommended packages, the way the Windows
# tests (.ci/test-windows.sh, .ci/wine/) were measured to work; the rest
# without.
opts=(-y -q --no-install-recommends)
case "${1:-run}" in windows | setup) opts=(-y -q) ;; esac
if ! "${sudo[@]}" apt-get install "${opts[@]}" "${missing[@]}"; then
	"${sudo[@]}" apt-get update -q
	"${sudo[@]}" apt-get install "${opts[@]}" "${missing[@]}"
fi
