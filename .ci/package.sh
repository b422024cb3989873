#!/usr/bin/env bash
# Packages Keywarden for Linux and installs it for the current user.
#   .ci/package.sh package     dist/Keywarden.tar.xz, made by `fyne package`
#   .ci/package.sh install     installs that tarball for you (no root needed)
#   .ci/package.sh uninstall   removes exactly what install added
#
# package runs the fyne tool (pinned, installed if missing) in a private copy
# of the source folder: `fyne package` rewrites FyneApp.toml to count up its
# Build number, deletes ./keywarden, and drops a generated Go file next to
# main.go while it builds. None of that should touch your working tree.
#
# package then adds the man page and the bash, zsh and fish completions
# (made from the command table by .ci/gendocs) to the tarball.
#
# install puts the binary in ~/.local/bin, the menu entry in
# $XDG_DATA_HOME/applications (~/.local/share/applications) with Exec set to
# the binary's full path, the icon in the hicolor theme there, the man page
# in $XDG_DATA_HOME/man (man finds it beside ~/.local/bin) and the
# completions where bash-completion and fish look for a user's own (zsh:
# $XDG_DATA_HOME/zsh/site-functions, to add to fpath). It writes
# the list of what it created to $XDG_DATA_HOME/keywarden/installed-files, so
# uninstall removes those files and the folders it made, nothing else. Your
# keys (the keyring) and records (~/.config/keywarden) are never touched.
set -euo pipefail

FYNE_TOOL_VERSION=v1.7.4
# These follow FyneApp.toml (Name, ID) and the module name (the binary).
NAME=Keywarden
APP_ID=io.github.keywarden.Keywarden
EXE=keywarden
ICON_SIZE=512x512 # assets/icon.png

root=$(cd "$(dirname "$0")/.." && pwd)
tarball=$root/dist/$NAME.tar.xz

# A temporary folder, removed on exit.
work=
trap '[ -z "$work" ] || rm -rf "$work"' EXIT

say() { echo "$1: ${*:2}"; }
die() {
	echo "$1: ${*:2}" >&2
	exit 1
}

# Where install puts things (computed from HOME and XDG_DATA_HOME).
where() {
	: "${HOME:?HOME is not set}"
	data=${XDG_DATA_HOME:-$HOME/.local/share}
	bindir=$HOME/.local/bin
	bin=$bindir/$EXE
	desktop=$data/applications/$APP_ID.desktop
	icondir=$data/icons/hicolor/$ICON_SIZE/apps
	icon=$icondir/$APP_ID.png
	manifest=$data/keywarden/installed-files
	man=$data/man/man1/$EXE.1.gz
	bash_completion=$data/bash-completion/completions/$EXE
	zsh_completion=$data/zsh/site-functions/_$EXE
	fish_completion=$data/fish/vendor_completions.d/$EXE.fish
}

# The man page and completions in the tarball, under its usr/ or usr/local/
# (where .ci/gendocs puts them under its folder).
DOCS=(share/man/man1/$EXE.1.gz share/bash-completion/completions/$EXE
	share/zsh/vendor-completions/_$EXE share/fish/vendor_completions.d/$EXE.fish)

# add_docs TARBALL: adds the man page and completions to fyne's tarball.
add_docs() {
	local go=${GO:-go} t=$work/docs prefix
	mkdir "$t"
	tar -C "$t" -xJf "$1"
	prefix=$(dirname "$(dirname "$(find "$t" -path "*/bin/$EXE" -type f | head -n1)")")
	# shellcheck source=.ci/appinfo.sh
	source "$root/.ci/appinfo.sh"
	(cd "$root" && "$go" run ./.ci/gendocs -version "$APP_VERSION" -date "$DOCS_DATE" "$prefix")
	tar -C "$t" --sort=name --owner=0 --group=0 -cJf "$1" .
}

do_package() {
	local go=${GO:-go} gobin fyne start found size
	gobin=$("$go" env GOBIN)
	[ -n "$gobin" ] || gobin="$("$go" env GOPATH | cut -d: -f1)/bin"
	fyne=$gobin/fyne
	if [ "$("$go" version -m "$fyne" 2>/dev/null | awk '$1 == "mod" && $2 == "fyne.io/tools" { print $3 }')" != "$FYNE_TOOL_VERSION" ]; then
		say package "installing the fyne tool $FYNE_TOOL_VERSION into $gobin"
		"$go" install "fyne.io/tools/cmd/fyne@$FYNE_TOOL_VERSION"
	fi

	work=$(mktemp -d "${TMPDIR:-/tmp}/keywarden-package.XXXXXX")
	mkdir "$work/src"
	tar -C "$root" --exclude=./.git --exclude=./dist --exclude="./$EXE" --exclude=./assets/screenshots \
		--exclude=testdata --exclude='*.test' --exclude='*.out' -cf - . | tar -C "$work/src" -xf -

	say package "fyne package -os linux --release (about 2 min the first time: cgo flags change)"
	start=$SECONDS
	(cd "$work/src" && "$fyne" package -os linux --release --tags "${KEYWARDEN_TAGS-}" --verbose)
	found=("$work/src/"*.tar.xz)
	[ -f "${found[0]}" ] || die package "fyne package made no .tar.xz"
	add_docs "${found[0]}"
	mkdir -p "$root/dist"
	mv -f "${found[0]}" "$tarball.part"
	mv -f "$tarball.part" "$tarball"
	size=$(stat -c %s "$tarball")
	say package "dist/$NAME.tar.xz, $(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1e6 }') MB, in $((SECONDS - start)) s"
	say package "install it for yourself with: make install"
}

# exec_value PATH: PATH as the value of a desktop entry's Exec key (quoted
# and escaped as the Desktop Entry Specification says, when it needs it).
exec_value() {
	local s=${1//%/%%}
	if [[ $s =~ [^A-Za-z0-9_./+,:@=-] ]]; then
		s=${s//\\/\\\\\\\\}
		s=${s//\"/\\\\\"}
		s=${s//\`/\\\\\`}
		s=${s//\$/\\\\\$}
		s="\"$s\""
	fi
	printf '%s' "$s"
}

# mkdirs DIR: creates DIR and its missing parents, and adds each folder it
# created to the created array (so uninstall can remove them again).
mkdirs() {
	local d=$1 missing=()
	while [ ! -d "$d" ]; do
		missing+=("$d")
		d=$(dirname "$d")
	done
	mkdir -p "$1"
	created+=("${missing[@]}")
}

do_install() {
	where
	[ -f "$tarball" ] || die install "dist/$NAME.tar.xz is missing: run make package first"
	if [ "$(id -u)" -eq 0 ] && [ -n "${SUDO_USER:-}" ]; then
		say install "warning: running through sudo, so this installs for root ($HOME), not for $SUDO_USER"
	fi

	local src_bin src_desktop src_icon src_prefix line created=() d doc
	local docs_to=("$man" "$bash_completion" "$zsh_completion" "$fish_completion")
	work=$(mktemp -d "${TMPDIR:-/tmp}/keywarden-install.XXXXXX")
	tar -C "$work" -xJf "$tarball"
	# fyne puts them under usr/local/ when the packaging machine has one, else usr/.
	src_bin=$(find "$work" -path "*/bin/$EXE" -type f | head -n1)
	src_desktop=$(find "$work" -path "*/share/applications/$APP_ID.desktop" -type f | head -n1)
	src_icon=$(find "$work" -path "*/share/pixmaps/$APP_ID.png" -type f | head -n1)
	if [ -z "$src_bin" ] || [ -z "$src_desktop" ] || [ -z "$src_icon" ]; then
		die install "dist/$NAME.tar.xz does not hold bin/$EXE, $APP_ID.desktop and $APP_ID.png: run make package again"
	fi
	src_prefix=$(dirname "$(dirname "$src_bin")")
	for doc in "${DOCS[@]}"; do
		[ -f "$src_prefix/$doc" ] || die install "dist/$NAME.tar.xz has no man page or completions (an older make package): run make package again"
	done

	# Folders made by an earlier install stay on the list.
	if [ -f "$manifest" ]; then
		while IFS= read -r line; do
			[ -d "$line" ] && created+=("$line")
		done <"$manifest"
	fi
	for d in "$bindir" "$(dirname "$desktop")" "$icondir" "$(dirname "$manifest")"; do
		mkdirs "$d"
	done
	for d in "${docs_to[@]}"; do
		mkdirs "$(dirname "$d")"
	done

	install -m 0755 "$src_bin" "$bin"
	# Exec=keywarden becomes the full path: the menu entry works whatever PATH is.
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in
		"Exec=$EXE" | "Exec=$EXE "*) line="Exec=$(exec_value "$bin")${line#"Exec=$EXE"}" ;;
		esac
		printf '%s\n' "$line"
	done <"$src_desktop" >"$work/entry.desktop"
	install -m 0644 "$work/entry.desktop" "$desktop"
	install -m 0644 "$src_icon" "$icon"
	for d in 0 1 2 3; do
		install -m 0644 "$src_prefix/${DOCS[d]}" "${docs_to[d]}"
	done
	{
		printf '%s\n' "$bin" "$desktop" "$icon" "${docs_to[@]}" "$manifest"
		[ ${#created[@]} -eq 0 ] || printf '%s\n' "${created[@]}" | sort -ru # deepest first
	} >"$work/manifest"
	install -m 0644 "$work/manifest" "$manifest"
	refresh_caches

	say install "installed $NAME for $(id -un), from dist/$NAME.tar.xz of $(date -r "$tarball" '+%Y-%m-%d %H:%M'):"
	say install "  program    $bin"
	say install "  menu entry $desktop"
	say install "  icon       $icon"
	say install "  man page   $man (man $EXE)"
	say install "  completion $bash_completion, $fish_completion,"
	say install "             $zsh_completion (zsh: add fpath+=($(dirname "$zsh_completion")) to ~/.zshrc before compinit)"
	say install "Open it from your desktop's menu, or run $EXE; make uninstall removes it again."
	case ":$PATH:" in
	*":$bindir:"*) ;;
	*)
		say install "note: $bindir is not on your PATH. The menu entry works anyway; for the"
		say install "  command line, log in again (Debian's and Ubuntu's ~/.profile add it when it"
		say install "  exists) or add to ~/.profile: export PATH=\"\$HOME/.local/bin:\$PATH\""
		;;
	esac
}

# refresh_caches brings the desktop's caches up to date, where they exist:
# it creates none (the entry declares no MIME types, and GTK reads icon
# folders without a cache), so uninstall leaves nothing behind.
refresh_caches() {
	local apps=$data/applications hicolor=$data/icons/hicolor
	if [ -f "$apps/mimeinfo.cache" ] && command -v update-desktop-database >/dev/null 2>&1; then
		update-desktop-database -q "$apps" || true
	fi
	if [ -f "$hicolor/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null 2>&1; then
		gtk-update-icon-cache -q -f -t "$hicolor" || true
	fi
}

do_uninstall() {
	where
	local paths=() p pid exe autostart
	if [ -f "$manifest" ]; then
		mapfile -t paths <"$manifest"
	else
		paths=("$bin" "$desktop" "$icon" "$man" "$bash_completion" "$zsh_completion" "$fish_completion") # installed before the list existed
	fi

	for pid in /proc/[0-9]*; do
		exe=$(readlink "$pid/exe" 2>/dev/null) || continue
		if [ "$exe" = "$bin" ]; then
			say uninstall "note: $NAME is still running (pid ${pid#/proc/}); quit it from its tray menu"
		fi
	done

	local removed=0 folders=0
	for p in "${paths[@]}"; do
		if [ -d "$p" ]; then
			# a folder install made, if nothing else is in it now
			rmdir "$p" 2>/dev/null && folders=$((folders + 1))
		elif [ -e "$p" ] || [ -L "$p" ]; then
			case $p in
			"$bin" | "$desktop" | "$icon" | "$manifest" | "$man" | "$bash_completion" | "$zsh_completion" | "$fish_completion") ;;
			*) continue ;; # only ever the files install writes
			esac
			rm -f "$p"
			say uninstall "removed $p"
			removed=$((removed + 1))
		fi
	done
	[ "$folders" -eq 0 ] || say uninstall "removed $folders empty folder(s) that install had made"
	[ "$removed" -gt 0 ] || say uninstall "$NAME was not installed in $HOME; nothing to remove"
	refresh_caches

	autostart=${XDG_CONFIG_HOME:-$HOME/.config}/autostart/$APP_ID.desktop
	if [ -f "$autostart" ] && grep -qF "$bin" "$autostart"; then
		say uninstall "note: start at login is still on and points at the removed program;"
		say uninstall "  delete $autostart (or switch it off in $NAME before uninstalling)"
	fi
	say uninstall "your keys (in the keyring) and records (~/.config/keywarden) are kept"
}

case "${1:-}" in
package) do_package ;;
install) do_install ;;
uninstall) do_uninstall ;;
*) die package.sh "usage: $0 package|install|uninstall" ;;
esac
