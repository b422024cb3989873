#!/usr/bin/env bash
# Tests the Windows installer under Wine, in Keywarden's private prefix
# (.ci/wine/prefix.sh), never ~/.wine:
#   .ci/wine/setup-test.sh SETUP.exe OLDER-SETUP.exe
# OLDER-SETUP.exe is the same program labelled with an older version.
#   1. the older one installs silently (/S), without administrator rights,
#      into %LOCALAPPDATA%\Programs\Keywarden, with its Start-menu entry
#      and HKCU Uninstall entry (name, icon, version, publisher, size)
#   2. settings, a key in the Credential Manager, and the registrations the
#      program itself makes (the tray part's keywarden: link and toasts'
#      name, start at login) are put in place
#   3. SETUP.exe upgrades it silently: the new version is registered, the
#      settings and the key are kept; the installer's and the installed
#      exe's version resources and the exe's --version say FyneApp.toml's
#   4. the uninstaller (/S) removes the program, the Start-menu entry, the
#      Uninstall entry, the link, the toasts' registration and start at
#      login, and keeps the settings and the key
#   5. installed again and uninstalled with /S /PURGE, the records and the
#      key go too
# Prints how long each install and uninstall took; exits 1 at the first
# failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
setup=$(readlink -f "${1:?usage: setup-test.sh SETUP.exe OLDER-SETUP.exe}")
older=$(readlink -f "${2:?usage: setup-test.sh SETUP.exe OLDER-SETUP.exe}")
cd "$here/../.."
# shellcheck source=.ci/appinfo.sh
source .ci/appinfo.sh
export WINEDEBUG=-all LANG=en_US.UTF-8
t0=$(date +%s)
WINEPREFIX=$("$here/prefix.sh")
export WINEPREFIX
work=$(mktemp -d /tmp/keywarden-setup-test.XXXXXX)
pids=()
cleanup() {
	wineserver -k >/dev/null 2>&1 || true # only this private prefix's programs
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

step() { printf 'setup-test: %-62s' "$1"; }
ok() { echo "ok${1:+ ($1)}"; }
fail() {
	echo "FAILED: $1"
	for f in "$work"/*.out "$work"/*.err; do
		[ -s "$f" ] && { echo "--- $(basename "$f")"; tail -n 20 "$f"; }
	done
	exit 1
}
# waitfor SECONDS COMMAND...: retries COMMAND every half second.
waitfor() {
	local until=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$until" ] && return 1
		sleep 0.5
	done
}
# Wine's output goes to files: a pipe would stay open until the wine server exits.
w() {
	local name=$1
	shift
	wine "$@" >"$work/$name.out" 2>"$work/$name.err" </dev/null
}
# unix WINDOWS-PATH: the path in the prefix.
unix() { winepath -u "$1" 2>/dev/null; }
# winenv VAR: a Windows environment variable of the prefix.
winenv() {
	w env cmd /c echo "%$1%"
	tr -d '\r\n' <"$work/env.out"
}
# regval KEY VALUE: a value under HKCU, as reg query prints it ("" if none).
regval() {
	wine reg query "HKCU\\$1" /v "$2" >"$work/reg.out" 2>/dev/null </dev/null || return 0
	sed -n "s/^ *$2 *REG_[A-Z_]* *//p" "$work/reg.out" | tr -d '\r'
}
# regkey KEY: whether KEY exists under HKCU; gone KEY: whether reg says
# there is no such key (not merely that reg failed).
regkey() { wine reg query "HKCU\\$1" >"$work/reg.out" 2>&1 </dev/null; }
gone() { ! regkey "$1" && grep -qi 'unable to find' "$work/reg.out"; }
# cred set|get ID: a Credential Manager entry as Keywarden's keyring makes it.
cred() { wine "$work/cred.exe" "$@" >"$work/cred.out" 2>"$work/cred.err" </dev/null; }

# A private display: Wine wants one, even for silent installers.
n=95
while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1024x768x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY=:$n
waitfor 10 xdpyinfo || fail "Xvfb did not start"
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -o "$work/cred.exe" ./.ci/wine/cred

uninstkey='Software\Microsoft\Windows\CurrentVersion\Uninstall\Keywarden'
linkkey='Software\Classes\keywarden'
aumidkey="Software\\Classes\\AppUserModelId\\$APP_ID"
runkey='Software\Microsoft\Windows\CurrentVersion\Run'
localappdata=$(winenv LOCALAPPDATA)
appdata=$(unix "$(winenv APPDATA)")
dir=$(unix "$localappdata\\Programs\\Keywarden")
lnk="$appdata/Microsoft/Windows/Start Menu/Programs/Keywarden.lnk"
records=$appdata/keywarden
[ -n "$localappdata" ] && [ -n "$appdata" ] || fail "no %LOCALAPPDATA% or %APPDATA% in the prefix"
# A prefix left from an interrupted run starts clean.
if [ -f "$dir/uninstall.exe" ]; then w pre "$dir/uninstall.exe" /S /PURGE "_?=$localappdata\\Programs\\Keywarden" || true; fi
rm -rf "$dir" "$records"

# uninstall ARGS...: runs the uninstaller; it copies itself to a temporary
# folder and starts that copy, so wait for the program's folder to go.
uninstall() {
	w uninstall "$dir/uninstall.exe" "$@" || return 1
	waitfor 120 test ! -e "$dir"
}
echo "setup-test: ready in $(($(date +%s) - t0)) s (Xvfb, the prefix, the test's cred.exe)"

# timed VAR CMD...: runs CMD, puts its seconds in VAR.
timed() {
	local s ms
	s=$(date +%s%N)
	"${@:2}" || return 1
	ms=$((($(date +%s%N) - s) / 1000000))
	printf -v "$1" '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
}

step "the older installer installs silently (/S)"
timed t_install w install-old "$older" /S || fail "the installer exited $?"
[ -f "$dir/keywarden.exe" ] && [ -f "$dir/uninstall.exe" ] || fail "no keywarden.exe and uninstall.exe in $dir"
[ -f "$lnk" ] || fail "no Start-menu entry at $lnk"
old_version=$(regval "$uninstkey" DisplayVersion)
[ -n "$old_version" ] && [ "$old_version" != "$APP_VERSION" ] || fail "the older installer registered version '$old_version'"
ok "$t_install s, version $old_version"

step "the Uninstall entry: name, icon, version, publisher, size"
[ "$(regval "$uninstkey" DisplayName)" = Keywarden ] || fail "DisplayName: $(regval "$uninstkey" DisplayName)"
[ "$(regval "$uninstkey" DisplayIcon)" = "$localappdata\\Programs\\Keywarden\\keywarden.exe,0" ] || fail "DisplayIcon: $(regval "$uninstkey" DisplayIcon)"
[ -n "$(regval "$uninstkey" Publisher)" ] || fail "no Publisher"
[ "$(regval "$uninstkey" QuietUninstallString)" = "\"$localappdata\\Programs\\Keywarden\\uninstall.exe\" /S" ] || fail "QuietUninstallString: $(regval "$uninstkey" QuietUninstallString)"
size=$(($(regval "$uninstkey" EstimatedSize)))
want=$(du -sk "$dir" | cut -f1)
[ "$size" -gt $((want * 9 / 10)) ] && [ "$size" -le $((want * 11 / 10)) ] || fail "EstimatedSize $size KB, the folder holds $want KB"
ok "$size KB"

step "what the program adds while it is used"
mkdir -p "$records"
echo '{"startAtLogin":true}' >"$records/settings.json"
cred set upgrade-test || fail "could not write a credential"
# The tray part registers the keywarden: link and the toasts' name and icon
# (for the exe it runs from: the smoke run's registration goes first).
wine reg delete "HKCU\\$linkkey" /f >"$work/reg-del.out" 2>&1 </dev/null || true
wine reg delete "HKCU\\$aumidkey" /f >>"$work/reg-del.out" 2>&1 </dev/null || true
mkdir -p "$work/keys" "$work/run"
KEYWARDEN_DIR=$(winepath -w "$work/keys" 2>/dev/null) XDG_RUNTIME_DIR=$(winepath -w "$work/run" 2>/dev/null) \
	wine "$dir/keywarden.exe" tray >"$work/tray.out" 2>"$work/tray.err" </dev/null &
waitfor 90 regkey "$aumidkey" || fail "the tray part registered no toasts within 90 s"
waitfor 30 regkey "$linkkey\\shell\\open\\command" || fail "the tray part registered no keywarden: link"
grep -qF "\"$localappdata\\Programs\\Keywarden\\keywarden.exe\" \"%1\"" "$work/reg.out" || fail "the keywarden: link does not start the installed exe"
wineserver -k >/dev/null 2>&1 || true
# Start at login as app/autostart writes it (only the window turns it on).
wine reg add "HKCU\\$runkey" /v Keywarden /d "\"$localappdata\\Programs\\Keywarden\\keywarden.exe\" tray" /f >"$work/reg-run.out" 2>&1 </dev/null
ok

step "the installer upgrades it silently, keeping settings"
timed t_upgrade w install "$setup" /S || fail "the installer exited $?"
[ "$(regval "$uninstkey" DisplayVersion)" = "$APP_VERSION" ] || fail "DisplayVersion $(regval "$uninstkey" DisplayVersion), want $APP_VERSION"
[ -f "$records/settings.json" ] || fail "the upgrade lost settings.json"
cred get upgrade-test || fail "the upgrade lost the key in the Credential Manager"
ok "$t_upgrade s"

step "the version resources of the installer and the exe"
quad=$APP_VERSION.${APP_BUILD:-0}
for f in "$setup" "$dir/keywarden.exe"; do
	got=$(python3 .ci/peversion.py "$f" | awk '{ print $2 }' | tr '\n' ' ')
	[ "$got" = "$quad $quad $APP_VERSION $quad " ] || fail "$(basename "$f"): $got"
done
ok "$quad"

step "the installed exe starts: --version"
w version "$dir/keywarden.exe" --version || fail "keywarden.exe --version exited $?"
got=$(tr -d '\r' <"$work/version.out")
[ "$got" = "keywarden $APP_VERSION" ] || fail "it printed '$got', want 'keywarden $APP_VERSION'"
ok "$got"

step "the uninstaller (/S) removes it all, keeps keys and records"
timed t_uninstall uninstall /S || fail "the program's folder is still there"
[ ! -e "$lnk" ] || fail "the Start-menu entry is still there"
gone "$uninstkey" || fail "the Uninstall entry is still there"
gone "$linkkey" || fail "the keywarden: link is still registered"
gone "$aumidkey" || fail "the toasts' registration is still there"
[ -z "$(regval "$runkey" Keywarden)" ] || fail "start at login is still on"
[ -f "$records/settings.json" ] || fail "the records went"
cred get upgrade-test || fail "the key went from the Credential Manager"
ok "$t_uninstall s"

step "/S /PURGE removes the keys and records too"
w install-again "$setup" /S || fail "the installer exited $?"
timed t_purge uninstall /S /PURGE || fail "the program's folder is still there"
[ ! -e "$records" ] || fail "the records are still there"
rc=0
cred get upgrade-test || rc=$?
[ "$rc" -eq 3 ] || fail "the key is still in the Credential Manager (cred get exited $rc)"
ok "$t_purge s"
echo "setup-test: passed in $(($(date +%s) - t0)) s (install $t_install s, upgrade $t_upgrade s, uninstall $t_uninstall s, uninstall with /PURGE $t_purge s)"
