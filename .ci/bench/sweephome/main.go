// Command sweephome builds a synthetic home folder for make bench-sweep:
// FILES small text files (source-like files, configs, notes, dotfiles, shell
// histories, .env files, freqtrade configs, and a git repository with a
// history), KEYS made-up keys in the key list ($KEYWARDEN_DIR) and the
// system keyring, and copies of some of them planted about the home, one
// in the git history only. It writes one API key planted as it is (in a .env) to NEEDLE, for
// the grep it is compared with. The keys are random and exist on no
// exchange.
//
//	go run ./.ci/bench/sweephome HOME FILES KEYS NEEDLE
package main

import (
	crand "crypto/rand"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: sweephome HOME FILES KEYS NEEDLE")
		os.Exit(2)
	}
	home := os.Args[1]
	files, err1 := strconv.Atoi(os.Args[2])
	nkeys, err2 := strconv.Atoi(os.Args[3])
	if err1 != nil || err2 != nil || files < 1000 || nkeys < 5 {
		fmt.Fprintln(os.Stderr, "sweephome: FILES must be at least 1000 and KEYS at least 5")
		os.Exit(2)
	}
	keys, err := seedKeys(nkeys)
	if err != nil {
		fail(err)
	}
	h := &homeWriter{root: home, r: rand.New(rand.NewPCG(7, 11))}
	h.fill(files)
	planted := h.plant(keys)
	h.gitRepo(keys[len(keys)-1])
	if err := os.WriteFile(os.Args[4], []byte(keys[2].APIKey), 0o600); err != nil {
		fail(err)
	}
	fmt.Fprintf(os.Stderr, "sweephome: %d files written in %s, %d keys, copies planted in %d files and a git history\n", h.n, home, nkeys, planted)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "sweephome:", err)
	os.Exit(1)
}

type key struct {
	name, APIKey, PrivateKey string
}

// seedKeys adds n records to the key list and their secrets to the keyring.
func seedKeys(n int) ([]key, error) {
	store, err := vault.OpenFromEnv(os.Getenv)
	if err != nil {
		return nil, err
	}
	ring := vault.NewKeyring()
	now := time.Now()
	var keys []key
	err = store.Update(func(d *vault.Data) error {
		for i := range n {
			api, priv := make([]byte, 42), make([]byte, 64)
			crand.Read(api)
			crand.Read(priv)
			k := key{name: fmt.Sprintf("bench-key-%02d", i+1), APIKey: base64.StdEncoding.EncodeToString(api), PrivateKey: base64.StdEncoding.EncodeToString(priv)}
			r := vault.Record{ID: vault.NewID(), Name: k.name, Purpose: vault.PurposeTradingBot, Intended: vault.PurposeTradingBot.LeastPermissions(),
				TwoFA: vault.TwoFANone, Status: vault.StatusActive, Created: now, KeyHint: vault.KeyHintOf(k.APIKey)}
			if _, err := d.Add(r); err != nil {
				return err
			}
			if err := ring.Set(r.ID, vault.Secret{APIKey: k.APIKey, PrivateKey: k.PrivateKey}); err != nil {
				return err
			}
			keys = append(keys, k)
		}
		return nil
	})
	return keys, err
}

type homeWriter struct {
	root string
	r    *rand.Rand
	n    int
}

func (h *homeWriter) write(rel, text string) {
	p := filepath.Join(h.root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		fail(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		fail(err)
	}
	h.n++
}

var words = strings.Fields("the kraken bot trade order price stake config key value user path file main func return if else for range true false nil error log info debug import class def self print")

// text is lines of words, now and then a hash or an ID, as real files have.
func (h *homeWriter) text(lines int) string {
	var sb strings.Builder
	for range lines {
		for range 3 + h.r.IntN(9) {
			sb.WriteString(words[h.r.IntN(len(words))])
			sb.WriteByte(' ')
		}
		switch h.r.IntN(10) {
		case 0:
			fmt.Fprintf(&sb, "sha256:%016x%016x%016x%016x", h.r.Uint64(), h.r.Uint64(), h.r.Uint64(), h.r.Uint64())
		case 1:
			b := make([]byte, 24)
			for i := range b {
				b[i] = byte(h.r.Uint32())
			}
			sb.WriteString(base64.StdEncoding.EncodeToString(b))
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

// fill writes n files: source-like files, configs, notes, data, and the
// usual dotfiles.
func (h *homeWriter) fill(n int) {
	h.write(".bashrc", h.text(80))
	h.write(".profile", h.text(20))
	h.write(".bash_history", h.text(2000))
	h.write(".zsh_history", h.text(1000))
	h.write(".local/share/fish/fish_history", h.text(500))
	for i := 0; h.n < n-306; i++ { // the rest: 5 planted files, 301 in the repository
		switch i % 10 {
		case 0, 1, 2, 3:
			h.write(fmt.Sprintf("projects/p%03d/src/m%04d.py", i%200, i), h.text(20+h.r.IntN(60)))
		case 4, 5:
			h.write(fmt.Sprintf(".config/app%02d/s%04d.ini", i%60, i), h.text(5+h.r.IntN(20)))
		case 6:
			h.write(fmt.Sprintf("notes/n%02d/%04d.md", i%40, i), h.text(10+h.r.IntN(40)))
		case 7:
			h.write(fmt.Sprintf(".local/share/app%02d/d%04d.json", i%30, i), `{"items": ["`+strings.ReplaceAll(h.text(3), "\n", `", "`)+`"]}`)
		case 8:
			h.write(fmt.Sprintf("projects/p%03d/svc%04d/.env", i%200, i), "DEBUG=1\nDATABASE_URL=postgres://localhost/db\n")
		default:
			h.write(fmt.Sprintf("Documents/d%02d/%04d.txt", i%50, i), h.text(30+h.r.IntN(30)))
		}
	}
}

// plant puts copies of the first keys where people leave them.
func (h *homeWriter) plant(keys []key) int {
	esc := func(s string) string { return strings.ReplaceAll(s, "/", `\/`) }
	h.write("bots/ft1/user_data/config.json", `{"stake_currency": "EUR", "exchange": {"name": "kraken", "key": "`+esc(keys[0].APIKey)+`", "secret": "`+esc(keys[0].PrivateKey)+`"}}`+"\n")
	h.write("bots/ft2/user_data/config-live.json", `{"exchange": {"name": "kraken", "key": "`+keys[1].APIKey+`", "secret": "`+keys[1].PrivateKey+`"}}`+"\n")
	h.write("projects/dca/.env", "KRAKEN_API_KEY="+keys[2].APIKey+"\nKRAKEN_API_SECRET="+keys[2].PrivateKey+"\n")
	h.write(".config/tracker/settings.ini", "[kraken]\nsecret="+url.QueryEscape(keys[3].PrivateKey)+"\n")
	f, err := os.OpenFile(filepath.Join(h.root, ".bash_history"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		fail(err)
	}
	fmt.Fprintf(f, "export KRAKEN_API_SECRET=%s\npython3 bot.py\n", keys[4].PrivateKey)
	f.Close()
	// A pair not in the vault.
	api, priv := make([]byte, 42), make([]byte, 64)
	crand.Read(api)
	crand.Read(priv)
	h.write("notes/old-keys.txt", "kraken\n"+base64.StdEncoding.EncodeToString(api)+"\n"+base64.StdEncoding.EncodeToString(priv)+"\n")
	return 6
}

// gitRepo makes projects/repo: 300 files over 20 commits, the key in one
// commit's config and gone from the next.
func (h *homeWriter) gitRepo(k key) {
	dir := filepath.Join(h.root, "projects", "repo")
	git := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=bench", "GIT_AUTHOR_EMAIL=bench@example.com", "GIT_COMMITTER_NAME=bench", "GIT_COMMITTER_EMAIL=bench@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			fail(fmt.Errorf("git %v: %v: %s", args, err, out))
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fail(err)
	}
	git("init", "-q", "-b", "main")
	for c := range 20 {
		for i := range 15 {
			h.write(fmt.Sprintf("projects/repo/pkg%02d/f%02d.go", i, c), h.text(30))
		}
		switch c {
		case 5:
			h.write("projects/repo/config.json", `{"kraken": {"key": "`+k.APIKey+`", "secret": "`+k.PrivateKey+`"}}`)
		case 6:
			h.write("projects/repo/config.json", `{"kraken": {"key": "", "secret": ""}}`)
		}
		git("add", "-A")
		git("commit", "-qm", fmt.Sprintf("change %d", c))
	}
}
