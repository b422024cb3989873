package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/pquerna/otp/totp"

	"github.com/keywarden/keywarden/app/guard"
)

func TestCopySecret_asksForTheAppCodeFirst(t *testing.T) {
	f := newDemoFixture(t)
	g := guard.New(f.secrets, nil)
	k, err := g.BeginEnrolment("test")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	code, _ := totp.GenerateCode(k.Secret(), now)
	if err := g.ConfirmEnrolment(k, code, now); err != nil {
		t.Fatal(err)
	}
	f.mw.env.Guard = g

	rec := f.byName("koinly-tax-import")
	f.mw.showDetail(rec.ID)
	test.Tap(f.mw.detail.copyKey)
	f.wait()
	if got := f.app.Clipboard().Content(); got != "" {
		t.Error("the API key was copied without the app 2FA code")
	}
	if len(f.mw.win.Canvas().Overlays().List()) == 0 {
		t.Error("no code prompt is shown")
	}
}
