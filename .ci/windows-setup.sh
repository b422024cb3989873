#!/usr/bin/env bash
# Builds the Windows installer from the Windows exe, with NSIS:
#   .ci/windows-setup.sh [EXE [OUT]]
# default dist/keywarden.exe and dist/keywarden-setup-VERSION.exe, the
# version from FyneApp.toml (.ci/appinfo.sh). KEYWARDEN_SETUP_VERSION
# labels the installer with another version (the upgrade test's older one);
# KEYWARDEN_SETUP_FAST=1 leaves it uncompressed (made in seconds).
# What it installs and removes: .ci/nsis/keywarden.nsi. Needs makensis and
# imagemagick (.ci/packages.sh setup).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=.ci/appinfo.sh
source .ci/appinfo.sh
version=${KEYWARDEN_SETUP_VERSION:-$APP_VERSION}
exe=${1:-dist/keywarden.exe}
out=${2:-dist/keywarden-setup-$version.exe}
for tool in makensis convert; do
	command -v "$tool" >/dev/null || { echo "windows-setup.sh: $tool is missing: run .ci/packages.sh setup" >&2; exit 1; }
done
[ -f "$exe" ] || { echo "windows-setup.sh: $exe is missing: run make windows" >&2; exit 1; }
WEBSITE=$(sed -n 's/^Website *= *"\(.*\)"$/\1/p' FyneApp.toml)

start=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/keywarden-setup.XXXXXX")
trap 'rm -rf "$work"' EXIT
convert assets/icon.png -define icon:auto-resize=256,64,48,32,24,16 "$work/keywarden.ico"
mkdir -p "$(dirname "$out")"
fast=()
[ "${KEYWARDEN_SETUP_FAST:-}" = 1 ] && fast=(-DFAST)
makensis -V2 -INPUTCHARSET UTF8 "${fast[@]}" \
	"-DVERSION=$version" "-DVERSION4=$version.${APP_BUILD:-0}" "-DWEBSITE=$WEBSITE" \
	"-DEXE=$(readlink -f "$exe")" "-DICON=$work/keywarden.ico" "-DOUTFILE=$(readlink -f "$out").part" \
	.ci/nsis/keywarden.nsi
mv -f "$out.part" "$out"
echo "windows-setup.sh: $out ($(du -h "$out" | cut -f1), built in $(($(date +%s) - start)) s)"
