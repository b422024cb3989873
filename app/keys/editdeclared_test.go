package keys_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// Edit changes the purpose and the intended permissions (issue 20 item 2):
// saved sorted, merged like the other fields, refused in words when odd.
func TestEdit_purposeAndIntended(t *testing.T) {
	f := newFixture(t)
	rec, _ := f.add(t, "bot")
	from := keys.EditOf(rec)
	e := from
	e.From = &from
	e.Purpose = vault.PurposeTradingBot
	e.Intended = []kraken.Permission{kraken.ModifyTrades, kraken.QueryFunds}
	if _, err := f.svc.Edit(rec.ID, e); err != nil {
		t.Fatal(err)
	}
	got := f.record(t, rec.ID)
	if got.Purpose != vault.PurposeTradingBot || !slices.Equal(got.Intended, []kraken.Permission{kraken.QueryFunds, kraken.ModifyTrades}) {
		t.Fatalf("purpose %q intended %v", got.Purpose, got.Intended)
	}

	// An edit that leaves them out (nil, "") keeps them.
	if _, err := f.svc.Edit(rec.ID, keys.Edit{Name: "bot2"}); err != nil {
		t.Fatal(err)
	}
	if now := f.record(t, rec.ID); now.Purpose != vault.PurposeTradingBot || len(now.Intended) != 2 {
		t.Errorf("an edit without them changed them: %q %v", now.Purpose, now.Intended)
	}

	var ee *keys.EditError
	for name, bad := range map[string]keys.Edit{
		"unknown purpose":    {Name: "bot2", Purpose: "exfiltrate"},
		"unknown permission": {Name: "bot2", Intended: []kraken.Permission{"secret-power"}},
		"none":               {Name: "bot2", Intended: []kraken.Permission{}},
	} {
		if _, err := f.svc.Edit(rec.ID, bad); !errors.As(err, &ee) || keys.UserMessage(err) == "" {
			t.Errorf("%s: %v, want a refusal in words", name, err)
		}
	}
	if now := f.record(t, rec.ID); len(now.Intended) != 2 || now.Purpose != vault.PurposeTradingBot {
		t.Errorf("a refused edit changed the key: %q %v", now.Purpose, now.Intended)
	}

	// Changed here and, differently, elsewhere: a conflict, nothing saved.
	cur := f.record(t, rec.ID)
	base := keys.EditOf(cur)
	if _, err := f.svc.Edit(rec.ID, keys.Edit{Name: cur.Name, Intended: []kraken.Permission{kraken.QueryFunds}}); err != nil {
		t.Fatal(err)
	}
	mine := base
	mine.From = &base
	mine.Intended = []kraken.Permission{kraken.QueryLedger}
	var conflict *keys.EditConflictError
	if _, err := f.svc.Edit(rec.ID, mine); !errors.As(err, &conflict) || !slices.Contains(conflict.Fields, "intended permissions") {
		t.Errorf("%v, want a conflict on the intended permissions", err)
	}
}
