#!/usr/bin/env bash
# Builds dist/keywarden_VERSION_amd64.deb without network, from this tree:
#   .ci/deb.sh
# /usr/bin/keywarden (stripped), the menu entry and icons (hicolor, every
# usual size and the SVG), AppStream metainfo (.ci/deb/metainfo.xml.in), the
# man page and completions (.ci/gendocs), copyright and changelog. The
# name, ID, version and website come from FyneApp.toml (.ci/appinfo.sh),
# the library dependencies from dpkg-shlibdeps plus the X libraries GLFW
# opens at run time. Needs dpkg-dev and imagemagick (.ci/packages.sh deb).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
GO=${GO:-go}
# shellcheck source=.ci/appinfo.sh
source .ci/appinfo.sh
EXE=keywarden
# Who answers for the package (Debian wants a name and an address).
MAINTAINER=${KEYWARDEN_MAINTAINER:-"Keywarden developers <keywarden@users.noreply.github.com>"}
WEBSITE=$(sed -n 's/^Website *= *"\(.*\)"$/\1/p' FyneApp.toml)
# GLFW opens these with dlopen, so dpkg-shlibdeps cannot see them; without
# them the window has no cursor shapes, screens or input methods.
DLOPENED="libxcursor1, libxrandr2, libxinerama1, libxi6, libxxf86vm1"
ICON_SIZES="16 24 32 48 64 128 256 512"
deb=dist/${EXE}_${APP_VERSION}_amd64.deb

for tool in dpkg-deb dpkg-shlibdeps convert; do
	command -v "$tool" >/dev/null || { echo "deb.sh: $tool is missing: run .ci/packages.sh deb" >&2; exit 1; }
done
start=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/keywarden-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
pkg=$work/pkg
share=$pkg/usr/share
# fill FILE: FILE with the @...@ fields filled in.
fill() {
	sed -e "s|@ID@|$APP_ID|g; s|@NAME@|$APP_NAME|g; s|@VERSION@|$APP_VERSION|g; s|@DATE@|$DOCS_DATE|g; s|@YEAR@|${DOCS_DATE%%-*}|g" \
		-e "s|@WEBSITE@|$WEBSITE|g; s|@RAW@|${WEBSITE/github.com/raw.githubusercontent.com}/v$APP_VERSION|g" \
		-e "s|@MAINTAINER@|$MAINTAINER|g" "$1"
}

# The program: stripped like the Windows exe. Built as the tests build it
# (no -trimpath), so the Go build cache they filled serves it.
install -d -m 0755 "$pkg/usr/bin"
CGO_ENABLED=1 "$GO" build -ldflags='-s -w' -o "$pkg/usr/bin/$EXE" .
chmod 0755 "$pkg/usr/bin/$EXE"

# The menu entry, as fyne package writes it (package-check checks that one).
install -d -m 0755 "$share/applications"
list() { sed -n "s/^ *$1 = \[\(.*\)\]\$/\1/p" FyneApp.toml | sed 's/", *"/;/g; s/^"//; s/"$/;/'; }
str() { sed -n "s/^ *$1 = \"\(.*\)\"\$/\1/p" FyneApp.toml | head -n1; }
cat >"$share/applications/$APP_ID.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=$APP_NAME
GenericName=$(str GenericName)
Exec=$EXE
Icon=$APP_ID
Comment=$(str Comment)
Categories=$(list Categories)
Keywords=$(list Keywords)
StartupWMClass=$APP_NAME
Terminal=false
DESKTOP

for s in $ICON_SIZES; do
	install -d -m 0755 "$share/icons/hicolor/${s}x$s/apps"
	convert assets/icon.png -strip -resize "${s}x$s" "PNG32:$share/icons/hicolor/${s}x$s/apps/$APP_ID.png"
done
install -D -m 0644 assets/icon.svg "$share/icons/hicolor/scalable/apps/$APP_ID.svg"

install -d -m 0755 "$share/metainfo"
fill .ci/deb/metainfo.xml.in >"$share/metainfo/$APP_ID.metainfo.xml"

"$GO" run ./.ci/gendocs -version "$APP_VERSION" -date "$DOCS_DATE" "$pkg/usr"

install -d -m 0755 "$share/doc/$EXE"
fill .ci/deb/copyright.in >"$share/doc/$EXE/copyright"
{
	printf '%s (%s) unstable; urgency=medium\n\n  * Keywarden %s.\n\n' "$EXE" "$APP_VERSION" "$APP_VERSION"
	printf ' -- %s  %s\n' "$MAINTAINER" "$(LC_ALL=C date -u -R -d "$DOCS_DATE 12:00")"
} | gzip -9n >"$share/doc/$EXE/changelog.gz"

find "$pkg" -type d -exec chmod 0755 {} +
find "$pkg" -type f ! -path "$pkg/usr/bin/*" -exec chmod 0644 {} +

# The libraries the program links, as Debian names their packages.
mkdir "$work/debian"
printf 'Source: %s\n\nPackage: %s\nArchitecture: amd64\n' "$EXE" "$EXE" >"$work/debian/control"
shlibs=$(cd "$work" && dpkg-shlibdeps -O "pkg/usr/bin/$EXE" 2>"$work/shlibdeps.err") ||
	{ cat "$work/shlibdeps.err" >&2; exit 1; }
depends="${shlibs#shlibs:Depends=}, $DLOPENED"

install -d -m 0755 "$pkg/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
fill .ci/deb/control.in | sed -e "s|@SIZE@|$size|; s|@DEPENDS@|$depends|" >"$pkg/DEBIAN/control"
(cd "$pkg" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$pkg/DEBIAN/md5sums"
chmod 0644 "$pkg/DEBIAN/control" "$pkg/DEBIAN/md5sums"

mkdir -p dist
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb.part" >/dev/null
mv -f "$deb.part" "$deb"
echo "deb.sh: $deb ($(du -h "$deb" | cut -f1), built in $(($(date +%s) - start)) s)"
