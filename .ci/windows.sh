#!/usr/bin/env bash
# Cross-compiles dist/keywarden.exe for Windows (amd64) on Linux: a GUI
# program (no console window for the window or the tray part; commands
# attach to the terminal they were started from), with the icon, the
# version from FyneApp.toml and a manifest embedded as resources.
#   .ci/windows.sh [OUT]     default dist/keywarden.exe
# Needs gcc-mingw-w64-x86-64 and imagemagick (.ci/packages.sh windows).
# The first build compiles Fyne's GL driver with mingw: 7.5 to 19 minutes;
# later ones take seconds while the Go build cache is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
out=${1:-dist/keywarden.exe}
for tool in x86_64-w64-mingw32-gcc x86_64-w64-mingw32-windres convert; do
	command -v "$tool" >/dev/null || { echo "windows.sh: $tool is missing: run .ci/packages.sh windows" >&2; exit 1; }
done

field() { sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"\{0,1\}\([^\"]*\)\"\{0,1\}[[:space:]]*$/\1/p" FyneApp.toml | head -n1; }
version=$(field Version); build=$(field Build); id=$(field ID)
IFS=. read -r v1 v2 v3 <<<"$version"
quad="${v1:-0},${v2:-0},${v3:-0},${build:-0}"
dotted="${v1:-0}.${v2:-0}.${v3:-0}.${build:-0}"

work=$(mktemp -d)
syso=rsrc_windows_amd64.syso # linked into package main, for windows/amd64 only
trap 'rm -rf "$work" "$syso"' EXIT
convert assets/icon.png -define icon:auto-resize=256,64,48,32,24,16 "$work/keywarden.ico"
cat >"$work/keywarden.manifest" <<MANIFEST
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0">
  <assemblyIdentity type="win32" name="$id" version="$dotted" processorArchitecture="amd64"/>
  <compatibility xmlns="urn:schemas-microsoft-com:compatibility.v1">
    <application><supportedOS Id="{8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a}"/></application>
  </compatibility>
  <application xmlns="urn:schemas-microsoft-com:asm.v3">
    <windowsSettings>
      <dpiAware xmlns="http://schemas.microsoft.com/SMI/2005/WindowsSettings">true/pm</dpiAware>
      <dpiAwareness xmlns="http://schemas.microsoft.com/SMI/2016/WindowsSettings">permonitorv2,permonitor</dpiAwareness>
    </windowsSettings>
  </application>
</assembly>
MANIFEST
cat >"$work/keywarden.rc" <<RC
#include <winver.h>
1 ICON "keywarden.ico"
1 24 "keywarden.manifest"
1 VERSIONINFO
FILEVERSION $quad
PRODUCTVERSION $quad
FILEOS VOS_NT_WINDOWS32
FILETYPE VFT_APP
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904b0"
    BEGIN
      VALUE "CompanyName", "Keywarden"
      VALUE "FileDescription", "Keywarden: keeps your Kraken API keys safe"
      VALUE "FileVersion", "$dotted"
      VALUE "InternalName", "keywarden"
      VALUE "OriginalFilename", "keywarden.exe"
      VALUE "ProductName", "Keywarden"
      VALUE "ProductVersion", "$version"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
RC
(cd "$work" && x86_64-w64-mingw32-windres -O coff -o keywarden.syso keywarden.rc)
cp "$work/keywarden.syso" "$syso"

mkdir -p "$(dirname "$out")"
start=$(date +%s)
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
	"$GO" build -ldflags='-H=windowsgui -s -w' -o "$out" .
echo "windows.sh: $out ($(du -h "$out" | cut -f1), built in $(( $(date +%s) - start )) s)"
