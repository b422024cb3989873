# Sourced by the packaging scripts: what FyneApp.toml says of the app, the
# one place its name, ID and version are written.
#   APP_NAME APP_ID APP_VERSION APP_BUILD, and DOCS_DATE (the man page's
#   date: SOURCE_DATE_EPOCH's, else the last commit's, else today's, UTC)
# shellcheck shell=bash
appinfo_toml=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/FyneApp.toml
# appinfo_field KEY: KEY's value in FyneApp.toml's [Details] table.
appinfo_field() {
	awk -v k="$1" '/^[[:space:]]*\[/ { t = $0; gsub(/[[:space:]]/, "", t) }
		t == "[Details]" && $0 ~ "^[[:space:]]*" k "[[:space:]]*=" {
			sub(/^[^=]*=[[:space:]]*/, ""); gsub(/^"|"[[:space:]]*$/, ""); print; exit }' "$appinfo_toml"
}
APP_NAME=$(appinfo_field Name)
APP_ID=$(appinfo_field ID)
APP_VERSION=$(appinfo_field Version)
APP_BUILD=$(appinfo_field Build)
if [ -z "$APP_NAME" ] || [ -z "$APP_ID" ] || ! [[ $APP_VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
	echo "appinfo: FyneApp.toml's [Details] needs Name, ID and a Version like 1.2.3 (it has '$APP_NAME', '$APP_ID', '$APP_VERSION')" >&2
	exit 1
fi
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
	DOCS_DATE=$(date -u -d "@$SOURCE_DATE_EPOCH" +%F)
else
	DOCS_DATE=$(TZ=UTC0 git -C "$(dirname "$appinfo_toml")" log -1 --format=%cd --date=format-local:%F 2>/dev/null || true)
	DOCS_DATE=${DOCS_DATE:-$(date -u +%F)}
fi
export APP_NAME APP_ID APP_VERSION APP_BUILD DOCS_DATE
