#!/usr/bin/env bash
# make release: gathers the artifacts make package, make deb and make
# windows-setup built into dist/release/, checks that each carries
# FyneApp.toml's version, and writes SHA256SUMS:
#   keywarden-VERSION-linux-amd64.tar.xz  the tarball (make install's)
#   keywarden_VERSION_amd64.deb           for Debian and Ubuntu
#   keywarden-setup-VERSION.exe           the Windows installer
#   keywarden-VERSION-windows-amd64.exe   the bare Windows program
#   SHA256SUMS                            `sha256sum -c SHA256SUMS` checks them
# A version that differs anywhere (--version of the Linux programs, the
# .deb's control file and AppStream release, the man page, the Windows
# version resources of the exe and the installer) stops it before the sums.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=.ci/appinfo.sh
source .ci/appinfo.sh
v=$APP_VERSION
quad=$v.${APP_BUILD:-0}
out=dist/release
work=$(mktemp -d "${TMPDIR:-/tmp}/keywarden-release.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
check() {
	if [ "$2" = "$3" ]; then
		echo "release: $1: $2"
	else
		echo "release: $1 is '$2', want '$3'" >&2
		failures=$((failures + 1))
	fi
}
need() { [ -f "$1" ] || { echo "release: $1 is missing: run $2" >&2; exit 1; }; }
rm -rf "$out" # nothing stale stays if a check fails
need dist/Keywarden.tar.xz "make package"
need "dist/keywarden_${v}_amd64.deb" "make deb"
need "dist/keywarden-setup-$v.exe" "make windows-setup"
need dist/keywarden.exe "make windows"

mkdir -p "$work/tar" "$work/deb"
tar -C "$work/tar" -xJf dist/Keywarden.tar.xz
check "the tarball's keywarden --version" "$(HOME=$work "$(find "$work/tar" -path '*/bin/keywarden' -type f | head -n1)" --version)" "keywarden $v"
check "the tarball's man page" "$(find "$work/tar" -name keywarden.1.gz -exec zcat {} + | sed -n 's/^\.TH [^"]*"[^"]*" "\([^"]*\)".*/\1/p')" "Keywarden $v"
deb=dist/keywarden_${v}_amd64.deb
dpkg-deb -x "$deb" "$work/deb"
check "the .deb's keywarden --version" "$(HOME=$work "$work/deb/usr/bin/keywarden" --version)" "keywarden $v"
check "the .deb's control Version" "$(dpkg-deb -f "$deb" Version)" "$v"
check "the .deb's AppStream release" "$(sed -n 's/.*<release version="\([^"]*\)".*/\1/p' "$work/deb/usr/share/metainfo/$APP_ID.metainfo.xml")" "$v"
for exe in dist/keywarden.exe "dist/keywarden-setup-$v.exe"; do
	res=$(python3 .ci/peversion.py "$exe")
	check "$exe's version resource" "$(awk '{ print $2 }' <<<"$res" | tr '\n' ' ')" "$quad $quad $v $quad "
done
if [ "$failures" -ne 0 ]; then
	echo "release: $failures version(s) differ from FyneApp.toml's $v: nothing released" >&2
	exit 1
fi

mkdir -p "$out"
cp dist/Keywarden.tar.xz "$out/keywarden-$v-linux-amd64.tar.xz"
cp "$deb" "$out/"
cp "dist/keywarden-setup-$v.exe" "$out/"
cp dist/keywarden.exe "$out/keywarden-$v-windows-amd64.exe"
(cd "$out" && sha256sum -- *.tar.xz *.deb *.exe >SHA256SUMS && sha256sum --quiet -c SHA256SUMS)
echo "release: $out, version $v:"
(cd "$out" && ls -l --time-style=+ | awk 'NR > 1 { printf "release:   %-40s %6.1f MB\n", $NF, $5 / 1e6 }')
