package sweep

import (
	"bytes"
	"path"
	"path/filepath"
	"strings"
)

// Programs the sweep recognises by where their configuration lives.
const (
	ProgramFreqtrade  = "freqtrade"
	ProgramHummingbot = "hummingbot"
	ProgramOctoBot    = "octobot"
	ProgramJesse      = "jesse"
)

// historyFiles are the base names of shell and REPL histories.
var historyFiles = map[string]bool{
	".bash_history": true, ".zsh_history": true, ".history": true, ".sh_history": true, ".ksh_history": true,
	"fish_history": true, ".python_history": true, ".node_repl_history": true, ".psql_history": true,
	".mysql_history": true, ".sqlite_history": true, ".irb_history": true, ".lesshst": true,
	"ConsoleHost_history.txt": true, // PowerShell
}

// placeOf says what kind of place a file is, from its path (slash
// separated, as git writes it, or the OS's).
func placeOf(p string) Place {
	p = filepath.ToSlash(p)
	base := path.Base(p)
	switch {
	case historyFiles[base] || strings.HasSuffix(base, "_history"):
		return PlaceHistory
	case base == ".env" || strings.HasPrefix(base, ".env.") || strings.HasSuffix(base, ".env"):
		return PlaceEnvFile
	case programOf(p, nil) != "":
		return PlaceBotConfig
	case strings.HasPrefix(base, ".") || strings.Contains(p, "/."):
		return PlaceConfig
	}
	return PlaceOther
}

// programOf names the bot a file configures, from its path and, when
// given, its content; "" when it is none the sweep knows.
func programOf(p string, doc []byte) string {
	p = filepath.ToSlash(p)
	base := path.Base(p)
	dir := "/" + path.Dir(p) + "/"
	switch {
	case strings.Contains(dir, "/user_data/") && strings.HasPrefix(base, "config") && strings.HasSuffix(base, ".json"):
		return ProgramFreqtrade
	case strings.HasSuffix(base, ".json") && strings.HasPrefix(base, "config") && doc != nil && bytes.Contains(doc, []byte(`"exchange"`)) && bytes.Contains(doc, []byte("stake_currency")):
		return ProgramFreqtrade // a freqtrade config outside user_data
	case strings.Contains(dir, "/conf/") && (strings.HasSuffix(base, ".yml") || strings.HasSuffix(base, ".yaml")) &&
		(strings.Contains(dir, "/connectors/") || strings.Contains(strings.ToLower(p), "hummingbot")):
		return ProgramHummingbot
	case strings.Contains(strings.ToLower(dir), "octobot") && strings.HasSuffix(base, ".json"):
		return ProgramOctoBot
	case strings.Contains(dir, "/user/") && base == "config.json" && doc != nil && bytes.Contains(doc, []byte("octobot")):
		return ProgramOctoBot
	case base == ".env" && doc != nil && bytes.Contains(doc, []byte("jesse")):
		return ProgramJesse
	}
	return ""
}
