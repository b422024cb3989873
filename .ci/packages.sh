#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Keywarden needs, if any are missing.
#   .ci/packages.sh run    what building and running the app needs
#   .ci/packages.sh test   that, plus what the tests need (keyring, D-Bus, Xvfb)
set -euo pipefail

build_pkgs=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
	libxinerama-dev libxi-dev libxxf86vm-dev)
test_pkgs=(gnome-keyring libsecret-tools dbus dbus-daemon xvfb xdotool x11-utils imagemagick)

want=("${build_pkgs[@]}")
[ "${1:-run}" = test ] && want+=("${test_pkgs[@]}")

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
if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"; then
	"${sudo[@]}" apt-get update -q
	"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
