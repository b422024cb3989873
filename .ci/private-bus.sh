#!/usr/bin/env bash
# private-bus.sh DIR: prints the dbus-run-session option for a private
# session bus that starts no service on demand (its service folder is
# DIR/dbus-services, empty). With the system's service folders, the first
# call to a name nobody owns (a notification to
# org.freedesktop.Notifications, where dunst is installed) would start the
# desktop's daemon on the private bus, and a test or benchmark could no
# longer tell "no server" from "a server". What is needed, the caller
# starts itself. (Run as root, a dbus-daemon given a config file says once
# that it could not raise its descriptor limit: true, and harmless.)
set -euo pipefail
dir=$1
conf=/usr/share/dbus-1/session.conf
if [ ! -r "$conf" ]; then
	echo --session
	exit 0
fi
mkdir -p "$dir/dbus-services"
sed "s|<standard_session_servicedirs */>|<servicedir>$dir/dbus-services</servicedir>|" "$conf" >"$dir/bus.conf"
echo "--config-file=$dir/bus.conf"
