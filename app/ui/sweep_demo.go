package ui

import (
	"cmp"
	"errors"
	"os"
	"path/filepath"
	"slices"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// findCopiesDemo returns what opens Find copies in the demo (keywarden demo
// --show find-copies), sweeping a throwaway home folder of its own: a
// bot's .env file and a shell history with copies of a demo key, and a
// script's config with a key the demo does not hold, made on the demo's
// exchange so Import works.
func (mw *mainWindow) findCopiesDemo(ex *krakentest.Exchange) (func(), error) {
	if !mw.env.Demo {
		return nil, errors.New("find-copies plants demo keys: demo mode only")
	}
	var rec vault.Record
	var sec vault.Secret
	recs := slices.Clone(mw.records)
	slices.SortStableFunc(recs, func(a, b vault.Record) int { // a bot's key first: bots are what keep keys in files
		return cmp.Compare(btoi(a.Purpose != vault.PurposeTradingBot), btoi(b.Purpose != vault.PurposeTradingBot))
	})
	for _, r := range recs {
		if r.Retired() {
			continue
		}
		if s, err := mw.keys.Secret(r.ID); err == nil {
			rec, sec = r, s
			break
		}
	}
	if rec.ID == "" {
		return nil, errors.New("the demo holds no key pair to plant")
	}
	dir, err := os.MkdirTemp("", "keywarden-demo-sweep-")
	if err != nil {
		return nil, err
	}
	atExit(func() { os.RemoveAll(dir) })
	home := filepath.Join(dir, "home")
	var stray krakentest.Key
	if ex != nil {
		stray = ex.AddKey(krakentest.Key{Name: "grid-script", Permissions: []kraken.Permission{kraken.QueryFunds, kraken.QueryOpenTrades, kraken.QueryClosedTrades, kraken.ModifyTrades, kraken.CloseTrades}})
	} else {
		stray.APIKey, stray.PrivateKey = krakentest.NewKeyPair()
	}
	files := map[string]string{
		".bash_history":             "cd bots/dca\nexport KRAKEN_API_SECRET=" + sec.PrivateKey + "\npython dca.py\n",
		"bots/dca/.env":             "# DCA bot\nKRAKEN_API_KEY=" + sec.APIKey + "\nKRAKEN_API_SECRET=" + sec.PrivateKey + "\nPAIR=XBTEUR\n",
		"projects/grid/config.json": "{\n  \"pair\": \"ETHEUR\",\n  \"api_key\": \"" + stray.APIKey + "\",\n  \"api_secret\": \"" + stray.PrivateKey + "\"\n}\n",
		"notes/todo.md":             "- move the bots to the VPS\n",
	}
	for rel, text := range files {
		p := filepath.Join(home, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			return nil, err
		}
	}
	return func() {
		mw.showSweep()
		mw.sweeper.roots = []string{home}
		mw.sweeper.start(nil)
	}, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
