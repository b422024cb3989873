package sweep

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"
)

// The variables `keywarden exec` puts a key in by default (app/cli's
// DefaultKeyEnv and DefaultSecretEnv; a test there keeps them equal).
const (
	ExecKeyEnv    = "KRAKEN_API_KEY"
	ExecSecretEnv = "KRAKEN_API_SECRET"
)

// The variables freqtrade reads its exchange key from, over its config.
const (
	freqtradeKeyEnv    = "FREQTRADE__EXCHANGE__KEY"
	freqtradeSecretEnv = "FREQTRADE__EXCHANGE__SECRET"
)

// NextStep says in plain words what to do about a hit: for a stored key,
// how to replace the copy with `keywarden exec` (the exact command for the
// program found), or to treat the key as leaked when the copy was pushed
// with a git history; for a key not in the vault, how to bring it in.
func NextStep(h Hit) string {
	if h.Git != nil {
		return gitStep(h)
	}
	if h.Kind == KindUnknown {
		return unknownStep(h)
	}
	name := shellQuote(h.Key.Name)
	file := h.Path
	if orig, ok := backupOf(file); ok {
		return fmt.Sprintf("This is the backup Keywarden kept when it took the key out of %s: delete it once the program works without that copy (a sweep that finds no other copy of the key offers to).", orig)
	}
	switch h.Program {
	case ProgramFreqtrade:
		dir, cfg := freqtradeDirs(h.Path)
		return fmt.Sprintf("Empty the key and secret values in this file and start freqtrade with the key in its environment instead (it reads %s and %s over its config): cd %s && keywarden exec %s --key-env %s --secret-env %s -- freqtrade trade --config %s",
			freqtradeKeyEnv, freqtradeSecretEnv, shellQuote(dir), name, freqtradeKeyEnv, freqtradeSecretEnv, shellQuote(cfg))
	case ProgramHummingbot:
		return fmt.Sprintf("Hummingbot does not read keys from its environment: delete this plain copy and enter the key in Hummingbot with \"connect kraken\", which keeps it encrypted under your Hummingbot password. Keywarden still holds it as %s.", name)
	}
	flags := execFlags(h)
	prog := "YOUR-PROGRAM"
	if h.Command != "" {
		prog = h.Command
	}
	switch {
	case h.Packed != "":
		return fmt.Sprintf("The key is in the compressed file %s (line %d once unpacked): delete that file, or unpack it, remove the line and pack it again. A log that holds a key means the program that wrote it logs its key: turn that off, and start the program with: keywarden exec %s -- %s",
			file, h.Line, name, prog)
	case h.Place == PlaceHistory && h.keyInCommand:
		return fmt.Sprintf("Delete line %d of %s: the key is written into the command line on it. Have the program read the key from its environment instead, and put its command after: keywarden exec %s -- (it sets %s and %s).",
			h.Line, file, name, ExecKeyEnv, ExecSecretEnv)
	case h.Place == PlaceHistory:
		return fmt.Sprintf("Delete line %d of %s (it holds the key), and next time run: keywarden exec %s%s -- %s",
			h.Line, file, name, flags, prog)
	case h.Place == PlaceEnvFile:
		return fmt.Sprintf("Delete the key's lines from %s and start the program that reads it with: keywarden exec %s%s -- %s",
			file, name, flags, prog)
	}
	return fmt.Sprintf("Remove the key from this file, and start the program that reads it with the key in its environment: keywarden exec %s -- %s (it sets %s and %s; --key-env and --secret-env pick other names).",
		name, prog, ExecKeyEnv, ExecSecretEnv)
}

// BackupSuffix is put after a file's name, with the time, for the backup
// Keywarden keeps when it takes a key out of that file (sweep --import).
const BackupSuffix = ".keywarden-backup-"

// backupOf returns the file a backup Keywarden kept was made of.
func backupOf(path string) (string, bool) {
	i := strings.LastIndex(path, BackupSuffix)
	if i <= 0 || strings.ContainsAny(path[i:], `/\`) {
		return "", false
	}
	return path[:i], true
}

// execFlags returns --key-env/--secret-env for the names a history line or
// an env file gave the key, when they are not exec's defaults.
func execFlags(h Hit) string {
	var b strings.Builder
	if envName(h.keyField) && h.keyField != ExecKeyEnv {
		fmt.Fprintf(&b, " --key-env %s", h.keyField)
	}
	if envName(h.secretField) && h.secretField != ExecSecretEnv {
		fmt.Fprintf(&b, " --secret-env %s", h.secretField)
	}
	return b.String()
}

// envName reports whether s is an environment variable's name in the usual
// spelling (upper case, digits, underscores).
func envName(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, c := range []byte(s) {
		if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// freqtradeDirs returns the folder freqtrade runs in (the one holding
// user_data) and the config's path from there.
func freqtradeDirs(p string) (dir, cfg string) {
	slash := filepath.ToSlash(p)
	if i := strings.LastIndex(slash, "/user_data/"); i >= 0 {
		return filepath.FromSlash(slash[:i]), slash[i+1:]
	}
	return filepath.Dir(p), filepath.Base(p)
}

func gitStep(h Hit) string {
	g := h.Git
	what := "it"
	if h.Kind == KindStored {
		what = fmt.Sprintf("%q", h.Key.Name)
	}
	switch {
	case g.Pushed():
		step := fmt.Sprintf("Treat %s as leaked: commit %s holds its %s and was pushed (%s). Delete the key on Kraken's website (Settings → API) now and make a new one",
			what, short(g.Commit), h.Part.Words(), strings.Join(g.Remotes, ", "))
		if h.Kind == KindStored {
			return step + fmt.Sprintf(", then run: keywarden revoke %s. Rewriting the history does not take the copy back.", shellQuote(h.Key.Name))
		}
		return step + ". Rewriting the history does not take the copy back."
	case g.Commit == "":
		return fmt.Sprintf("Git keeps this object although no commit reaches it any more; delete it with: cd %s && git reflog expire --expire-unreachable=now --all && git gc --prune=now",
			shellQuote(h.Path))
	}
	step := fmt.Sprintf("Commit %s holds %s but was not pushed: remove it from the history before you push (for example with git filter-repo --replace-text), or make a new key if this repository was ever copied elsewhere.",
		short(g.Commit), what)
	if h.Kind == KindUnknown {
		step += " " + addStep(h)
	}
	return step
}

func unknownStep(h Hit) string {
	step := addStep(h)
	if h.Part == PartPair {
		step += " Then replace this copy with keywarden exec, as for your other keys."
	}
	return step
}

// addStep says how to bring a key not in the vault in.
func addStep(h Hit) string {
	if h.Maybe != nil {
		return fmt.Sprintf("This may be %q, whose secret Keywarden could not read: unlock the keyring and sweep again to be sure.", h.Maybe.Name)
	}
	switch h.Part {
	case PartAPIKey:
		return "Only the API key is here: find its private key to add it to Keywarden, or delete the key on Kraken's website if nothing should use it."
	case PartPrivateKey:
		return "Only a private key is here: find its API key to add it to Keywarden, or delete the key on Kraken's website if nothing should use it."
	}
	return fmt.Sprintf("This key is not in Keywarden: add it so Keywarden can check what it may do: keywarden add --name %s (it asks for the API key and the private key).",
		shellQuote(SuggestName(h)))
}

// genericDirs are folder names that say nothing about what a key is for.
var genericDirs = map[string]bool{
	"user_data": true, "conf": true, "config": true, "configs": true, "connectors": true, "src": true,
	"home": true, "root": true, "users": true, "etc": true, "settings": true, "secrets": true, "env": true,
	"app": true, "data": true, "tmp": true, "local": true, "share": true, "fish": true, "user": true,
}

// SuggestName suggests a name for a key found by the sweep, from where it
// was found: the program and the folder ("freqtrade-mybot"), the
// repository, or the kind of place ("shell-history"). It is a plain
// lower-case name; the caller makes it unique.
func SuggestName(h Hit) string {
	var parts []string
	if h.Program != "" {
		parts = append(parts, h.Program)
	}
	folder := ""
	switch {
	case h.Git != nil:
		folder = filepath.Base(h.Git.Repo)
	case h.Place == PlaceHistory:
		folder = "shell"
	default:
		folder = meaningfulFolder(h.Path, h.root)
	}
	if folder != "" && (len(parts) == 0 || !strings.Contains(strings.ToLower(folder), parts[0])) {
		parts = append(parts, folder)
	}
	if h.Place == PlaceHistory {
		parts = append(parts, "history")
	}
	name := slug(strings.Join(parts, "-"))
	if name == "" {
		return "kraken-key"
	}
	return name
}

// meaningfulFolder returns the nearest folder above file, below root,
// whose name is not generic; dots of hidden folders are dropped.
func meaningfulFolder(file, root string) string {
	dir := filepath.Dir(file)
	for dir != root && dir != filepath.Dir(dir) {
		base := strings.TrimPrefix(filepath.Base(dir), ".")
		if base != "" && !genericDirs[strings.ToLower(base)] {
			return base
		}
		dir = filepath.Dir(dir)
	}
	if b := strings.TrimPrefix(path.Base(filepath.ToSlash(file)), "."); b != "" && b != "env" {
		return strings.TrimSuffix(b, path.Ext(b))
	}
	return ""
}

// slug lower-cases s and keeps letters and digits, one dash between words,
// at most 40 characters.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(s) {
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(c)
		} else {
			dash = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	return b.String()
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("-_./:@%+=,", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// historyCommand returns the command a shell-history line runs, without
// the assignments before it, when every word of it can be shown and run
// as it is; cut is true, and cmd "", when the line runs a program but a
// word of its command cannot be shown (the key written into it, a quote,
// a pipe): half a command would not run as shown.
func historyCommand(line string) (cmd string, cut bool) {
	// zsh's extended history: ": 1700000000:0;command"
	if strings.HasPrefix(line, ": ") {
		if i := strings.IndexByte(line, ';'); i > 0 {
			line = line[i+1:]
		}
	}
	line = strings.TrimPrefix(strings.TrimSpace(line), "- cmd: ") // fish
	var words []string
	for _, w := range strings.Fields(line) {
		if len(words) == 0 && (w == "export" || w == "env" || w == "sudo" || strings.Contains(w, "=")) {
			continue
		}
		if !safeWord(w) {
			return "", true
		}
		words = append(words, w)
	}
	cmd = strings.Join(words, " ")
	if len(cmd) > 200 {
		return "", false // too long to read as a suggestion
	}
	return cmd, false
}

// safeWord reports whether a word of a command line can be shown: printable
// ASCII, no assignment, quote or shell operator, and no base64 run long
// enough and mixed enough to be part of a key (a path of plain words is
// fine).
func safeWord(w string) bool {
	var run, up, low, dig int
	for _, c := range []byte(w) {
		if c < 0x21 || c > 0x7e || strings.IndexByte("=\"'`$;&|<>\\+", c) >= 0 {
			return false
		}
		if class[c] != clsB64 {
			run, up, low, dig = 0, 0, 0, 0
			continue
		}
		run++
		switch {
		case 'A' <= c && c <= 'Z':
			up++
		case 'a' <= c && c <= 'z':
			low++
		case '0' <= c && c <= '9':
			dig++
		}
		if run >= 16 && (dig > 0 || up > 0 && low > 0) {
			return false
		}
	}
	return true
}
