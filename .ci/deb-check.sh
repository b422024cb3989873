#!/usr/bin/env bash
# make deb-check: checks dist/keywarden_VERSION_amd64.deb (made by make deb)
# for real, without root and without touching this system's packages:
#   - lintian finds no error (its warnings are printed)
#   - appstreamcli validate --no-net and desktop-file-validate pass
#   - the package holds the program, the entry, every hicolor icon, the
#     metainfo, the man page and the three completions; the control file,
#     the AppStream release and `keywarden --version` all say FyneApp.toml's
#     version
#   - dpkg installs it into a scratch root (its own dpkg database), the
#     installed keywarden --version runs, and dpkg --purge leaves the root as
#     it was, but for a person's files made there while it was installed
set -euo pipefail
export LANG=C.UTF-8
cd "$(dirname "$0")/.."
# shellcheck source=.ci/appinfo.sh
source .ci/appinfo.sh
EXE=keywarden
deb=dist/${EXE}_${APP_VERSION}_amd64.deb
[ -f "$deb" ] || { echo "deb-check: $deb is missing: run make deb" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/keywarden-deb-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
ok() { echo "deb-check: ok   $*"; }
fail() {
	echo "deb-check: FAIL $*" >&2
	failures=$((failures + 1))
}
expect() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: got '$2', want '$3'"; fi; }
# timed NAME CMD...: runs CMD, says how long it took (on fd 3: the
# terminal, whatever CMD's output is sent to).
exec 3>&1
timed() {
	local s=$SECONDS rc=0
	"${@:2}" || rc=$?
	echo "deb-check: $1 took $((SECONDS - s)) s" >&3
	return $rc
}
listing() { (cd "$1" && find . -mindepth 1 ! -path './var/lib/dpkg*' | sort); }

echo "deb-check: $deb, $(stat -c %s "$deb") bytes"

# --- lintian: errors fail, warnings are shown
if timed lintian lintian --allow-root "$deb" >"$work/lintian.out" 2>&1; then rc=0; else rc=$?; fi
sed 's/^/deb-check: lintian: /' "$work/lintian.out"
if [ "$rc" -ne 0 ] || grep -q '^E:' "$work/lintian.out"; then
	fail "lintian found errors (exit $rc)"
else
	ok "lintian: no errors"
fi

# --- what is inside
x=$work/x
dpkg-deb -x "$deb" "$x"
share=$x/usr/share
for f in usr/bin/$EXE usr/share/applications/$APP_ID.desktop usr/share/metainfo/$APP_ID.metainfo.xml \
	usr/share/icons/hicolor/scalable/apps/$APP_ID.svg usr/share/man/man1/$EXE.1.gz \
	usr/share/bash-completion/completions/$EXE usr/share/zsh/vendor-completions/_$EXE \
	usr/share/fish/vendor_completions.d/$EXE.fish usr/share/doc/$EXE/copyright usr/share/doc/$EXE/changelog.gz; do
	if [ -s "$x/$f" ]; then ok "holds /$f"; else fail "no /$f"; fi
done
for s in 16 24 32 48 64 128 256 512; do
	expect "a ${s}x$s icon" "$(identify -format '%m %wx%h' "$share/icons/hicolor/${s}x$s/apps/$APP_ID.png" 2>&1)" "PNG ${s}x$s"
done
if out=$(appstreamcli validate --no-net "$share/metainfo/$APP_ID.metainfo.xml" 2>&1); then
	ok "appstreamcli validate --no-net"
	sed 's/^/deb-check: appstreamcli: /' <<<"$out"
else
	fail "appstreamcli validate --no-net: $out"
fi
if out=$(desktop-file-validate "$share/applications/$APP_ID.desktop" 2>&1); then
	ok "desktop-file-validate ${out:+($out)}"
else
	fail "desktop-file-validate: $out"
fi
if [ -s "$share/man/man1/$EXE.1.gz" ] && out=$(MANWIDTH=80 man --warnings -l "$share/man/man1/$EXE.1.gz" 2>&1 >/dev/null) && [ -z "$out" ]; then
	ok "man reads the man page without a warning"
else
	fail "man -l: $out"
fi

# --- one version everywhere
expect "control Version" "$(dpkg-deb -f "$deb" Version)" "$APP_VERSION"
expect "AppStream release" "$(sed -n 's/.*<release version="\([^"]*\)".*/\1/p' "$share/metainfo/$APP_ID.metainfo.xml")" "$APP_VERSION"
expect "the man page's header" "$(zcat "$share/man/man1/$EXE.1.gz" | sed -n 's/^\.TH [^"]*"[^"]*" "\([^"]*\)".*/\1/p')" "Keywarden $APP_VERSION"
expect "the file name" "$(basename "$deb")" "$(dpkg-deb -f "$deb" Package)_$(dpkg-deb -f "$deb" Version)_$(dpkg-deb -f "$deb" Architecture).deb"

# --- install into a scratch root, run, purge
r=$work/root
mkdir -p "$r/var/lib/dpkg/info" "$r/var/lib/dpkg/updates" "$r/home/person"
touch "$r/var/lib/dpkg/status"
before=$(listing "$r")
# Its own database: this system's packages (and the libraries it depends
# on) are not in it, so dependencies are not checked there.
d=(dpkg --root="$r" --force-not-root --force-depends --force-script-chrootless --log=/dev/null)
if timed "install into a scratch root" "${d[@]}" --install "$deb" >"$work/dpkg.out" 2>&1; then
	ok "dpkg --root installs it"
else
	fail "dpkg --install: $(cat "$work/dpkg.out")"
fi
expect "dpkg knows it installed" "$("${d[@]}" -s "$EXE" 2>/dev/null | sed -n 's/^Status: //p')" "install ok installed"
if out=$(env -i HOME="$r/home/person" PATH=/usr/bin:/bin "$r/usr/bin/$EXE" --version 2>&1); then
	expect "the installed keywarden --version" "$out" "keywarden $APP_VERSION"
else
	fail "the installed keywarden --version: $out"
fi
# The person's own data, made while it was installed, must stay.
mkdir -p "$r/home/person/.config/keywarden"
echo '{}' >"$r/home/person/.config/keywarden/keys.json"
if timed "purge" "${d[@]}" --purge "$EXE" >"$work/purge.out" 2>&1; then
	ok "dpkg --purge removes it"
else
	fail "dpkg --purge: $(cat "$work/purge.out")"
fi
expect "purge leaves only the person's data" "$(listing "$r")" \
	"$(printf '%s\n' "$before" ./home/person/.config ./home/person/.config/keywarden ./home/person/.config/keywarden/keys.json | sort)"

if [ "$failures" -ne 0 ]; then
	echo "deb-check: $failures check(s) failed" >&2
	exit 1
fi
echo "deb-check: all passed"
