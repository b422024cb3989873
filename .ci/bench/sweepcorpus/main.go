// Command sweepcorpus builds and scores the corpus of .ci/sweep-corpus.sh
// (issue 21): ordinary files copied from this machine (the Go module
// cache, /usr/share/doc, /usr/include), a bot repository with a history,
// 5 stored keys (key list in $KEYWARDEN_DIR, secrets in the system
// keyring) with 19 copies planted in the forms bots and people write them,
// 3 Kraken keys not in the key list, and 20 decoys that are no key. The
// keys are random and exist on no exchange.
//
//	go run ./.ci/bench/sweepcorpus build DIR ORDINARY BIG_MIB
//	go run ./.ci/bench/sweepcorpus score DIR SWEEP.json
//	go run ./.ci/bench/sweepcorpus grep DIR GREP-OUTPUT
//
// build writes DIR/home (the corpus), DIR/truth.json (what was planted)
// and DIR/needles (the 10 stored values as they are, for grep -rF -f).
// score reads `keywarden sweep --json` output; grep reads the output of
// `grep -rF -o -f needles`; both print found, missed and false figures.
package main

import (
	"bytes"
	"compress/gzip"
	crand "crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

func main() {
	if len(os.Args) < 4 {
		usage()
	}
	var err error
	switch a := os.Args[1:]; {
	case a[0] == "build" && len(a) == 4:
		err = build(a[1], a[2], a[3])
	case a[0] == "score" && len(a) == 3:
		err = score(a[1], a[2])
	case a[0] == "grep" && len(a) == 3:
		err = grepScore(a[1], a[2])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sweepcorpus:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: sweepcorpus build DIR ORDINARY BIG_MIB | score DIR SWEEP.json | grep DIR GREP-OUTPUT")
	os.Exit(2)
}

// key is a made-up key pair.
type key struct {
	Name, APIKey, PrivateKey string
}

func newKey(name string) key {
	for {
		api, priv := make([]byte, 42), make([]byte, 64)
		crand.Read(api)
		crand.Read(priv)
		k := key{name, base64.StdEncoding.EncodeToString(api), base64.StdEncoding.EncodeToString(priv)}
		// "/" and "+" in both, so an escaped copy is never the value as
		// it is (grep's figure does not depend on luck).
		if mixed(k.APIKey) && mixed(k.PrivateKey) && strings.Contains(k.APIKey, "/") && strings.Contains(k.PrivateKey, "/") &&
			strings.Contains(k.APIKey, "+") && strings.Contains(k.PrivateKey, "+") {
			return k
		}
	}
}

// mixed: upper, lower and digits, as a real key almost surely has.
func mixed(s string) bool {
	return strings.ContainsAny(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") && strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyz") && strings.ContainsAny(s, "0123456789")
}

// planted is one copy put in the corpus, as truth.json lists it.
type planted struct {
	File string `json:"file"` // relative to the home; for a git history, the repository
	// GitFile is the file in the history, for a copy only in a history.
	GitFile string `json:"gitFile,omitempty"`
	Key     string `json:"key"`  // the stored key's name; "" for a key not in the vault
	Part    string `json:"part"` // api-key, private-key, or pair
	Form    string `json:"form"`
	// Value is the value as it is (for grep), "" when it is only
	// written in another form.
	Value string `json:"value,omitempty"`
}

type truth struct {
	Stored  []planted `json:"stored"`
	Unknown []planted `json:"unknown"`
	Decoys  []string  `json:"decoys"`
}

type corpus struct {
	home string
	t    truth
	r    *rand.Rand
}

func (c *corpus) write(rel, text string) {
	p := filepath.Join(c.home, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		panic(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		panic(err)
	}
}

func (c *corpus) stored(rel string, k key, part, form, text string) {
	c.write(rel, text)
	c.t.Stored = append(c.t.Stored, planted{File: rel, Key: k.Name, Part: part, Form: form, Value: asIs(k, part, text)})
}

// asIs returns the part's value when text holds it as it is.
func asIs(k key, part, text string) string {
	v := k.APIKey
	if part == "private-key" {
		v = k.PrivateKey
	}
	if strings.Contains(text, v) {
		return v
	}
	return ""
}

func build(dir, ordinary, bigMiB string) error {
	n, err1 := strconv.Atoi(ordinary)
	big, err2 := strconv.Atoi(bigMiB)
	if err1 != nil || err2 != nil || n < 1000 || big < 17 {
		return fmt.Errorf("ORDINARY must be at least 1000 and BIG_MIB at least 17")
	}
	c := &corpus{home: filepath.Join(dir, "home"), r: rand.New(rand.NewPCG(21, 21))}
	copied, err := copyOrdinary(filepath.Join(c.home, "ordinary"), n)
	if err != nil {
		return err
	}
	keys := []key{newKey("ft-kraken"), newKey("dca-script"), newKey("grid-bot"), newKey("tracker"), newKey("notes-key")}
	if err := seedKeys(keys); err != nil {
		return err
	}
	c.plant(keys, big)
	c.unknown()
	c.decoys(keys)
	if err := c.botRepo(keys); err != nil {
		return err
	}
	b, _ := json.MarshalIndent(c.t, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "truth.json"), b, 0o600); err != nil {
		return err
	}
	var needles []string
	for _, k := range keys {
		needles = append(needles, k.APIKey, k.PrivateKey)
	}
	if err := os.WriteFile(filepath.Join(dir, "needles"), []byte(strings.Join(needles, "\n")+"\n"), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "sweepcorpus: %d ordinary files, %d stored copies of %d keys, %d keys not in the vault, %d decoys\n",
		copied, len(c.t.Stored), len(keys), len(c.t.Unknown), len(c.t.Decoys))
	return nil
}

// copyOrdinary copies up to n regular files of at most 4 MiB from
// /usr/share/doc, /usr/include and the Go module cache (without its
// download cache), in that order, into dst.
func copyOrdinary(dst string, n int) (int, error) {
	modcache, _ := exec.Command("go", "env", "GOMODCACHE").Output()
	srcs := []string{"/usr/share/doc", "/usr/include", strings.TrimSpace(string(modcache))}
	copied := 0
	for i, src := range srcs {
		if src == "" {
			continue
		}
		err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() && p == filepath.Join(src, "cache") {
				return filepath.SkipDir
			}
			if copied >= n || !d.Type().IsRegular() {
				return nil
			}
			fi, err := d.Info()
			if err != nil || fi.Size() > 4<<20 {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			rel, _ := filepath.Rel(src, p)
			out := filepath.Join(dst, strconv.Itoa(i), rel)
			if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
				return err
			}
			copied++
			return os.WriteFile(out, b, 0o644)
		})
		if err != nil {
			return copied, err
		}
	}
	if copied < n {
		return copied, fmt.Errorf("only %d ordinary files found, want %d", copied, n)
	}
	return copied, nil
}

// seedKeys adds the keys to the key list and their secrets to the keyring.
func seedKeys(keys []key) error {
	store, err := vault.OpenFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	ring := vault.NewKeyring()
	now := time.Now()
	return store.Update(func(d *vault.Data) error {
		for _, k := range keys {
			r := vault.Record{ID: vault.NewID(), Name: k.Name, Purpose: vault.PurposeTradingBot, Intended: vault.PurposeTradingBot.LeastPermissions(),
				TwoFA: vault.TwoFANone, Status: vault.StatusActive, Created: now, KeyHint: vault.KeyHintOf(k.APIKey)}
			if _, err := d.Add(r); err != nil {
				return err
			}
			if err := ring.Set(r.ID, vault.Secret{APIKey: k.APIKey, PrivateKey: k.PrivateKey}); err != nil {
				return err
			}
		}
		return nil
	})
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func hexOf(privateKey string) string {
	raw, _ := base64.StdEncoding.DecodeString(privateKey)
	return hex.EncodeToString(raw)
}

func gz(text string) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(text))
	zw.Close()
	return b.String()
}

// logText is n bytes of an ordinary bot log.
func (c *corpus) logText(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "2026-11-%02d %02d:%02d:%02d INFO grid order %d filled at %d.%d XBT/EUR\n", 1+i/86400%28, i/3600%24, i/60%60, i%60, i, 40000+c.r.IntN(9000), c.r.IntN(10))
	}
	return b.String()
}

// plant writes 18 of the 19 copies of the stored keys; botRepo the
// 19th, in a git history.
func (c *corpus) plant(k []key, bigMiB int) {
	esc := func(s string) string { return strings.ReplaceAll(s, "/", `\/`) }
	ft := `{"stake_currency": "EUR", "exchange": {"name": "kraken", "key": "` + esc(k[0].APIKey) + `", "secret": "` + esc(k[0].PrivateKey) + `"}}` + "\n"
	c.stored("bots/ft/user_data/config.json", k[0], "api-key", "json-escaped", ft)
	c.stored("bots/ft/user_data/config.json", k[0], "private-key", "json-escaped", ft)
	env := "KRAKEN_API_KEY=" + k[1].APIKey + "\nKRAKEN_API_SECRET=" + k[1].PrivateKey + "\n"
	c.stored("projects/dca/.env", k[1], "api-key", "plain", env)
	c.stored("projects/dca/.env", k[1], "private-key", "plain", env)
	hist := "ls\nexport KRAKEN_SECRET=" + k[2].PrivateKey + "\n" +
		`curl -X POST -H "API-Key: ` + k[2].APIKey + `" -H "API-Sign: $(python3 sign.py)" -d "nonce=$(date +%s%3N)" https://api.kraken.com/0/private/Balance` + "\n"
	c.stored(".bash_history", k[2], "private-key", "plain", hist)
	c.stored(".bash_history", k[2], "api-key", "plain", hist)
	c.stored(".config/tracker/settings.ini", k[3], "private-key", "url-encoded", "[kraken]\nsecret="+url.QueryEscape(k[3].PrivateKey)+"\n")
	c.stored("hummingbot/conf/connectors/kraken.yml", k[3], "api-key", "plain", "kraken_api_key: "+k[3].APIKey+"\n")
	c.stored("notes/kraken.md", k[4], "private-key", "wrapped", "# Kraken\n\n- notes key, private:\n    "+k[4].PrivateKey[:44]+"\n    "+k[4].PrivateKey[44:]+"\n")
	c.stored("var/log/gridbot/bot.log.1.gz", k[4], "api-key", "gzip", gz(c.logText(20000)+"DEBUG loaded key "+k[4].APIKey+"\n"+c.logText(20000)))
	secret := "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ft\ntype: Opaque\ndata:\n  KRAKEN_API_KEY: " + b64(k[0].APIKey) + "\n  KRAKEN_API_SECRET: " + b64(k[0].PrivateKey) + "\n"
	c.stored("deploy/k8s/secret.yaml", k[0], "api-key", "base64", secret)
	c.stored("deploy/k8s/secret.yaml", k[0], "private-key", "base64", secret)
	c.stored("var/log/dca/debug.log", k[1], "private-key", "hex", c.logText(3000)+"DEBUG hmac key bytes "+hexOf(k[1].PrivateKey)+"\n"+c.logText(3000))
	big := c.logText(1000) + "INFO api key " + k[2].APIKey + "\n" + c.logText(bigMiB<<20)
	c.stored("var/log/gridbot/big.log", k[2], "api-key", "over 16 MiB", big)
	c.stored("projects/web/config.json", k[4], "private-key", "json-escaped", `{"kraken":{"secret":"`+strings.NewReplacer("/", `\u002f`, "+", `\u002b`).Replace(k[4].PrivateKey)+`"}}`+"\n")
	c.stored("projects/grid/docker-compose.yml", k[2], "private-key", "plain", "services:\n  grid:\n    image: grid\n    environment:\n      - KRAKEN_API_SECRET="+k[2].PrivateKey+"\n")
	c.stored(".zsh_history", k[4], "api-key", "plain", ": 1700000000:0;cd notes\n: 1700000001:0;KRAKEN_API_KEY="+k[4].APIKey+" python3 notes.py\n")
	c.stored("projects/dca/dca.py", k[1], "api-key", "plain", "import krakenex\n\nAPI_KEY = \""+k[1].APIKey+"\"\n\ndef main():\n    pass\n")
}

// unknown writes 3 Kraken keys not in the vault.
func (c *corpus) unknown() {
	u := []key{newKey("u1"), newKey("u2"), newKey("u3")}
	add := func(rel string, text string) {
		c.write(rel, text)
		c.t.Unknown = append(c.t.Unknown, planted{File: rel, Part: "pair", Form: "plain"})
	}
	add(".config/krakenbot/.env", "KRAKEN_API_KEY="+u[0].APIKey+"\nKRAKEN_API_SECRET="+u[0].PrivateKey+"\n")
	add("bots/ft2/user_data/config.json", `{"stake_currency": "EUR", "exchange": {"name": "kraken", "key": "`+u[1].APIKey+`", "secret": "`+u[1].PrivateKey+`"}}`+"\n")
	add("notes/old-keys.txt", "old kraken keys\n"+u[2].APIKey+"\n"+u[2].PrivateKey+"\n")
}

// decoys writes 20 files with values shaped like keys, or near copies,
// that are no key of anyone's: none may be reported.
func (c *corpus) decoys(k []key) {
	const docAPI = "4/SDrDBcOOPnm3nPlNfEMMJDeRcIVqPz+QhRxIodyZbI9po/aVRiHsgX"
	const docPriv = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg=="
	r := func() key { return newKey("decoy") }
	d := func(rel, text string) {
		c.write(rel, text)
		c.t.Decoys = append(c.t.Decoys, rel)
	}
	rnd := func(n int) string {
		b := make([]byte, n)
		crand.Read(b)
		return base64.StdEncoding.EncodeToString(b)
	}
	hexr := func(n int) string {
		b := make([]byte, n)
		crand.Read(b)
		return hex.EncodeToString(b)
	}
	a, b, e := r(), r(), r()
	d("src/krakenapi/tests/test_auth.py", "import krakenex\n\ndef test_sign():\n    api_key = \""+docAPI+"\"\n    secret = \""+docPriv+"\"\n    assert sign(api_key, secret) == EXPECTED\n")
	d("src/krakenapi/tests/test_sign.go", "package kraken\n\n// the documented example\nconst secret = \""+docPriv+"\"\n")
	d("payments/webhook.log", "POST /hooks/charge 200\nrequest_id: "+a.APIKey+"\nsignature: "+a.PrivateKey+"\n")
	d("payments/events.json", `{"event": "charge.succeeded",`+"\n"+`  "request_id": "`+b.APIKey+`",`+"\n"+`  "signature": "`+b.PrivateKey+`"}`+"\n")
	var sums strings.Builder
	for range 40 {
		fmt.Fprintf(&sums, "%s  pkg-%d.tar.gz\n", hexr(32), c.r.IntN(1000))
	}
	d("downloads/SHA256SUMS", sums.String())
	sums.Reset()
	for range 40 {
		fmt.Fprintf(&sums, "%s  pkg-%d.tar.gz\n", hexr(64), c.r.IntN(1000))
	}
	d("downloads/SHA512SUMS", sums.String())
	var pem strings.Builder
	pem.WriteString("-----BEGIN CERTIFICATE-----\n")
	for s := rnd(900); len(s) > 0; s = s[min(64, len(s)):] {
		pem.WriteString(s[:min(64, len(s))] + "\n")
	}
	pem.WriteString("-----END CERTIFICATE-----\n")
	d("certs/server.pem", pem.String())
	d(".ssh/known_hosts", "github.com ssh-ed25519 "+rnd(51)+"\ngitlab.com ssh-rsa "+rnd(279)+"\n")
	d("web/session.txt", "token: eyJhbGciOiJIUzI1NiJ9."+strings.TrimRight(rnd(60), "=")+"."+strings.TrimRight(rnd(32), "=")+"\n")
	d("services/stripe.yml", "stripe:\n  api_key: "+e.APIKey+"\n")
	d("services/other.yml", "hmac:\n  secret: "+rnd(64)+"\n")
	near := k[0].APIKey[:20] + flip(k[0].APIKey[20]) + k[0].APIKey[21:]
	d("notes/near-miss.txt", "a key with one character changed\n"+near+"\n")
	d("notes/cut-short.txt", "cut short\n"+k[1].APIKey[:55]+"\n")
	d("data/ids.csv", "id,blob\n1,"+rnd(42)+"\n2,"+rnd(64)+"\n")
	var sum strings.Builder
	for range 20 {
		fmt.Fprintf(&sum, "golang.org/x/mod%d v0.%d.0 h1:%s\n", c.r.IntN(9), c.r.IntN(30), rnd(32))
	}
	d("go.sum", sum.String())
	var lock strings.Builder
	lock.WriteString("{\n  \"packages\": {\n")
	for i := range 20 {
		fmt.Fprintf(&lock, "    \"node_modules/p%d\": {\"resolved\": \"https://registry.npmjs.org/p%d/-/p%d-1.0.0.tgz\", \"integrity\": \"sha512-%s\"},\n", i, i, i, rnd(64))
	}
	lock.WriteString("  }\n}\n")
	d("web/package-lock.json", lock.String())
	d("deploy/k8s/db-secret.yaml", "apiVersion: v1\nkind: Secret\ndata:\n  password: "+b64(rnd(42))+"\n  token: "+b64(rnd(64))+"\n")
	d("var/log/tls/debug.log", "DEBUG session key "+hexr(64)+"\nDEBUG client random "+hexr(32)+"\n")
	d("aws/credentials", "[default]\naws_access_key_id = AKIA"+strings.ToUpper(hexr(8))+"\naws_secret_access_key = "+rnd(30)+"\n")
	d("web/logo.html", `<img src="data:image/png;base64,`+rnd(3000)+`">`+"\n")
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

// botRepo makes bots/gridbot, a repository of 32 commits, whose commit 10
// added a config with a stored key's private key, removed by commit 11.
func (c *corpus) botRepo(k []key) error {
	dir := filepath.Join(c.home, "bots", "gridbot")
	git := func(args ...string) error {
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=bench", "GIT_AUTHOR_EMAIL=bench@example.com", "GIT_COMMITTER_NAME=bench", "GIT_COMMITTER_EMAIL=bench@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("git %v: %v: %s", args, err, out)
		}
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := git("init", "-q", "-b", "main"); err != nil {
		return err
	}
	for i := range 32 {
		c.write(fmt.Sprintf("bots/gridbot/strategy/s%02d.py", i%8), c.logText(2000))
		switch i {
		case 10:
			c.write("bots/gridbot/config.yml", "exchange: kraken\nkey: ''\nsecret: "+k[3].PrivateKey+"\n")
		case 11:
			c.write("bots/gridbot/config.yml", "exchange: kraken\nkey: ''\nsecret: ''\n")
		}
		if err := git("add", "-A"); err != nil {
			return err
		}
		if err := git("commit", "-qm", fmt.Sprintf("change %d", i)); err != nil {
			return err
		}
	}
	c.t.Stored = append(c.t.Stored, planted{File: "bots/gridbot", GitFile: "config.yml", Key: k[3].Name, Part: "private-key", Form: "git history"})
	return nil
}

// report is the part of `keywarden sweep --json` scored.
type report struct {
	Hits []struct {
		Path string `json:"path"`
		Line int    `json:"line"`
		Kind string `json:"kind"`
		Part string `json:"part"`
		Key  *struct {
			Name string `json:"name"`
		} `json:"key"`
		Git *struct {
			Path string `json:"path"`
		} `json:"git"`
		Next string `json:"next"`
	} `json:"hits"`
}

func readTruth(dir string) (truth, error) {
	var t truth
	b, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err == nil {
		err = json.Unmarshal(b, &t)
	}
	return t, err
}

// score prints what the sweep found of what was planted, what it missed
// and what it reported that was not planted (false), with where.
func score(dir, sweepJSON string) error {
	t, err := readTruth(dir)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(sweepJSON)
	if err != nil {
		return err
	}
	var rep report
	if err := json.Unmarshal(b, &rep); err != nil {
		return fmt.Errorf("%s: %v", sweepJSON, err)
	}
	home := filepath.Join(dir, "home") + "/"
	used := make([]bool, len(rep.Hits))
	match := func(p planted) bool {
		for i, h := range rep.Hits {
			rel := strings.TrimPrefix(h.Path, home)
			if rel != p.File || (p.GitFile != "") != (h.Git != nil) || (h.Git != nil && h.Git.Path != p.GitFile) {
				continue
			}
			if p.Key != "" && (h.Kind != "stored" || h.Key == nil || h.Key.Name != p.Key || h.Part != p.Part) {
				continue
			}
			if p.Key == "" && (h.Kind != "unknown" || h.Part != p.Part) {
				continue
			}
			used[i] = true
			return true
		}
		return false
	}
	var missed []string
	found := 0
	for _, p := range t.Stored {
		if match(p) {
			found++
		} else {
			missed = append(missed, fmt.Sprintf("%s %s (%s)", p.File, p.Part, p.Form))
		}
	}
	unknown := 0
	for _, p := range t.Unknown {
		if match(p) {
			unknown++
		} else {
			missed = append(missed, p.File+" (key not in the vault)")
		}
	}
	var falses []string
	for i, h := range rep.Hits {
		if !used[i] {
			falses = append(falses, fmt.Sprintf("%s line %d (%s %s)", strings.TrimPrefix(h.Path, home), h.Line, h.Kind, h.Part))
		}
	}
	sort.Strings(falses)
	fmt.Printf("stored copies found %d of %d; keys not in the vault found %d of %d; false %d\n", found, len(t.Stored), unknown, len(t.Unknown), len(falses))
	for _, m := range missed {
		fmt.Printf("  missed: %s\n", m)
	}
	for _, f := range falses {
		fmt.Printf("  false: %s\n", f)
	}
	return nil
}

// grepScore scores `grep -rF -o -f needles HOME` output (FILE:VALUE
// lines): a planted copy counts as found when grep printed its value for
// its file.
func grepScore(dir, out string) error {
	t, err := readTruth(dir)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return err
	}
	home := filepath.Join(dir, "home") + "/"
	seen := map[string]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		if i := strings.LastIndexByte(l, ':'); i > 0 {
			seen[strings.TrimPrefix(l[:i], home)+"\x00"+l[i+1:]] = true
		}
	}
	found := 0
	for _, p := range t.Stored {
		if p.Value != "" && seen[p.File+"\x00"+p.Value] {
			found++
		}
	}
	fmt.Printf("stored copies found %d of %d; keys not in the vault found 0 of %d (grep knows only the stored values); false 0\n", found, len(t.Stored), len(t.Unknown))
	return nil
}
