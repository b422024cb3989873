package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/keywarden/keywarden/kraken"
)

// Changing the nonce scale asks first, naming the programs the key is used
// by and what happens to each; "Keep it as it is" saves nothing. After a
// change and back, a failed check explains the nonce situation rather than
// blaming Kraken (issue 20 item 1).
func TestEditDialog_nonceScaleAsksAndExplains(t *testing.T) {
	f := newFixture(t)
	rec := f.addKey("bot", []kraken.Permission{kraken.QueryFunds}, kraken.QueryFunds)
	f.open()
	f.mw.showDetail(rec.ID)

	edit := func(scale kraken.NonceScale) *editDialog {
		test.Tap(f.mw.detail.edit)
		e := f.mw.editor
		e.usedBy.SetText("freqtrade on the VPS, Koinly")
		e.nonces.SetSelected(nonceScaleWords(scale))
		e.dlg.Submit()
		f.wait()
		if e.scaleAsk == nil {
			t.Fatalf("no question before changing the nonce scale to %s", scale)
		}
		return e
	}

	e := edit(kraken.NonceMicroseconds)
	words := strings.Join(texts(f.mw.win.Canvas().Overlays().Top()), "\n")
	for _, want := range []string{"freqtrade on the VPS:", "Koinly:", "for good"} {
		if !strings.Contains(words, want) {
			t.Errorf("the question does not say %q:\n%s", want, words)
		}
	}
	e.scaleAsk.Dismiss()
	f.wait()
	if got := f.stored(rec.ID); got.NonceScale != "" || got.Notes != "" || len(got.UsedBy) != 1 {
		t.Fatalf("after “Keep it as it is”: scale %q, used by %v; want nothing saved", got.NonceScale, got.UsedBy)
	}
	if again := f.mw.editor; again == e || again.usedBy.Text != "freqtrade on the VPS, Koinly" || nonceScaleOf(again.nonces.Selected) != kraken.NonceMilliseconds {
		t.Errorf("the dialog again: used by %q, nonces %q; want what was typed, with the scale kept", again.usedBy.Text, again.nonces.Selected)
	}
	f.mw.editor.dlg.Hide()

	edit(kraken.NonceMicroseconds).scaleAsk.Confirm()
	f.wait()
	if got := f.stored(rec.ID); got.NonceScale != kraken.NonceMicroseconds {
		t.Fatalf("scale %q after confirming", got.NonceScale)
	}
	test.Tap(f.mw.detail.checkNow)
	f.wait()

	edit(kraken.NonceMilliseconds).scaleAsk.Confirm()
	f.wait()
	test.Tap(f.mw.detail.checkNow)
	f.wait()
	got := f.stored(rec.ID)
	if got.LastCheck == nil {
		t.Fatal("no check saved")
	}
	shown := f.mw.detail.readback.summary.Text
	for _, want := range []string{"already seen microseconds", "Kraken is not down", "freqtrade on the VPS"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the failed check says %q; want it to say %q", shown, want)
		}
	}
	if strings.Contains(shown, "unavailable or busy") {
		t.Errorf("the failed check blames Kraken: %q", shown)
	}
}
