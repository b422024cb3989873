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
	case freqtradeConfig(dir, base, doc):
		return ProgramFreqtrade
	case hummingbotConfig(p, dir, base):
		return ProgramHummingbot
	case octoBotConfig(dir, base, doc):
		return ProgramOctoBot
	case base == ".env" && doc != nil && bytes.Contains(doc, []byte("jesse")):
		return ProgramJesse
	}
	return ""
}

// contains reports whether doc is given and holds s.
func contains(doc []byte, s string) bool {
	return doc != nil && bytes.Contains(doc, []byte(s))
}

// freqtradeConfig: config*.json in user_data, or one elsewhere whose
// content names an exchange and a stake currency.
func freqtradeConfig(dir, base string, doc []byte) bool {
	if !strings.HasPrefix(base, "config") || !strings.HasSuffix(base, ".json") {
		return false
	}
	return strings.Contains(dir, "/user_data/") || contains(doc, `"exchange"`) && contains(doc, "stake_currency")
}

// hummingbotConfig: a YAML file in a conf folder, under connectors or a
// path naming hummingbot.
func hummingbotConfig(p, dir, base string) bool {
	if !strings.Contains(dir, "/conf/") || !strings.HasSuffix(base, ".yml") && !strings.HasSuffix(base, ".yaml") {
		return false
	}
	return strings.Contains(dir, "/connectors/") || strings.Contains(strings.ToLower(p), "hummingbot")
}

// octoBotConfig: a JSON file in a folder naming octobot, or a
// user/config.json whose content does.
func octoBotConfig(dir, base string, doc []byte) bool {
	if strings.Contains(strings.ToLower(dir), "octobot") && strings.HasSuffix(base, ".json") {
		return true
	}
	return strings.Contains(dir, "/user/") && base == "config.json" && contains(doc, "octobot")
}
