package tray

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"github.com/keywarden/keywarden/app/internal/wine"
	"github.com/keywarden/keywarden/app/remind"
)

func TestIIDs(t *testing.T) {
	for _, tt := range []struct {
		iid  windows.GUID
		want string
	}{
		{iidToastNotificationManagerStatics, "{50AC103F-D235-4598-BBEF-98FE4D1A3AD4}"},
		{iidToastNotificationFactory, "{04124B20-82C6-4229-B109-FD9ED4662B53}"},
		{iidXmlDocumentIO, "{6CD0E74E-EE65-4489-9EBF-CA43E87BA637}"},
		{iidXmlDocument, "{F7F3A506-1E87-42D6-BCFB-B8C809FA5494}"},
		{iidToastNotification2, "{9DFB9FD1-143A-490E-90BF-B9FBA7132DE7}"},
		{iidToastNotificationManagerStatics2, "{7AB93C52-0E48-4750-BA9D-1A4113981847}"},
	} {
		if got := tt.iid.String(); got != tt.want {
			t.Errorf("IID %s, want %s", got, tt.want)
		}
	}
}

// privateClasses returns a key of this test's own under HKCU\Software,
// deleted when the test ends, to stand for HKCU\Software\Classes.
func privateClasses(t *testing.T) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	key := `Software\Keywarden-test-` + hex.EncodeToString(b)
	t.Cleanup(func() {
		if err := deleteTree(registry.CURRENT_USER, key); err != nil {
			t.Errorf("remove HKCU\\%s: %v", key, err)
		}
	})
	return key
}

// deleteTree deletes a registry key and everything under it.
func deleteTree(root registry.Key, path string) error {
	k, err := registry.OpenKey(root, path, registry.ENUMERATE_SUB_KEYS)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	subs, err := k.ReadSubKeyNames(-1)
	k.Close()
	if err != nil {
		return err
	}
	for _, s := range subs {
		if err := deleteTree(root, path+`\`+s); err != nil {
			return err
		}
	}
	return registry.DeleteKey(root, path)
}

func TestRegistration_write(t *testing.T) {
	classes := privateClasses(t)
	r := registration{Classes: classes, AppID: AppID, Exe: `C:\Program Files\Keywarden\keywarden.exe`, Icon: `C:\Users\me\AppData\Roaming\keywarden\keywarden-icon.png`}
	for i := range 2 { // the second time changes nothing
		if err := r.write(); err != nil {
			t.Fatalf("write #%d: %v", i+1, err)
		}
	}
	for _, tt := range []struct{ key, name, want string }{
		{`AppUserModelId\` + AppID, "DisplayName", "Keywarden"},
		{`AppUserModelId\` + AppID, "IconUri", r.Icon},
		{`keywarden`, "", "URL:Keywarden link"},
		{`keywarden`, "URL Protocol", ""},
		{`keywarden\shell\open\command`, "", `"C:\Program Files\Keywarden\keywarden.exe" "%1"`},
	} {
		k, err := registry.OpenKey(registry.CURRENT_USER, classes+`\`+tt.key, registry.QUERY_VALUE)
		if err != nil {
			t.Errorf("HKCU\\%s\\%s: %v", classes, tt.key, err)
			continue
		}
		got, _, err := k.GetStringValue(tt.name)
		k.Close()
		if err != nil || got != tt.want {
			t.Errorf("%s [%s] = %q, %v; want %q", tt.key, tt.name, got, err, tt.want)
		}
	}
}

func TestRegistration_refusesWhatItCannotWrite(t *testing.T) {
	classes := privateClasses(t)
	for _, r := range []registration{
		{Classes: classesKey, AppID: AppID, Exe: `C:\k.exe`, Icon: `C:\k.png`},
		{Classes: `\software\CLASSES\`, AppID: AppID, Exe: `C:\k.exe`, Icon: `C:\k.png`},
		{Classes: classes, AppID: AppID, Exe: `C:\a" "b.exe`, Icon: `C:\k.png`},
	} {
		if err := r.write(); err == nil {
			t.Errorf("write(%+v) wrote it", r)
		}
	}
	if k, err := registry.OpenKey(registry.CURRENT_USER, classes, registry.QUERY_VALUE); err == nil {
		k.Close()
		t.Errorf("HKCU\\%s was made for a program path with a quote", classes)
	}
}

// TestWinRT_underWine records which of the WinRT classes a toast needs
// Wine has: none, in Wine 8.0.
func TestWinRT_underWine(t *testing.T) {
	if wine.Version() == "" {
		t.Skip("not under Wine")
	}
	err := withWinRT(func() error {
		for _, c := range []struct {
			class string
			iid   *windows.GUID
		}{{classToastNotificationManager, &iidToastNotificationManagerStatics}, {classToastNotification, &iidToastNotificationFactory}} {
			f, err := activationFactory(c.class, c.iid)
			if err == nil {
				f.release()
			}
			t.Logf("%s: %v", c.class, err)
		}
		doc, err := xmlDocument(`<toast/>`)
		if err == nil {
			doc.release()
		}
		t.Logf("%s: %v", classXmlDocument, err)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestProbeToasts(t *testing.T) {
	err := probeToasts(AppID + ".Test")
	var hr *hresultError
	switch {
	case wine.Version() != "":
		if !errors.As(err, &hr) {
			t.Fatalf("probeToasts under Wine = %v; want a failed WinRT call", err)
		}
		t.Logf("under Wine: %v", err)
	case err != nil:
		t.Fatalf("probeToasts = %v; Windows 10 and 11 make toasts", err)
	}
}

func TestShowToast_refusesBrokenXML(t *testing.T) {
	if wine.Version() != "" {
		t.Skip("Wine 8.0 makes no toasts (TestProbeToasts)")
	}
	var hr *hresultError
	if err := showToast(AppID+".Test", "<toast><visual>", ""); !errors.As(err, &hr) || !strings.Contains(err.Error(), "LoadXml") {
		t.Errorf("showToast(broken XML) = %v; want LoadXml refusing it", err)
	}
}

// balloonsRecorder stands in for the balloons on the tray icon.
type balloonsRecorder struct {
	mu     sync.Mutex
	shown  []string
	closed []string
	err    error
}

func (b *balloonsRecorder) CloseKey(recordID string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = append(b.closed, recordID)
}

func (b *balloonsRecorder) Reminder(rem remind.Reminder) error { return b.add(rem.Title) }
func (b *balloonsRecorder) Message(title, _ string) error      { return b.add(title) }
func (b *balloonsRecorder) Question(_, title, _ string) error  { return b.add(title) }
func (b *balloonsRecorder) add(title string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err == nil {
		b.shown = append(b.shown, title)
	}
	return b.err
}

func TestToasts_fallBackToBalloons(t *testing.T) {
	b := &balloonsRecorder{}
	var reported []error
	n := &toasts{appID: AppID + ".Test", token: testToken, balloons: b, report: func(err error) { reported = append(reported, err) }}
	rem := remind.Reminder{ID: testID + "/review", RecordID: testID, Title: "Key “test” is due for review", Body: "A test from Keywarden's tests."}

	err1, err2 := n.Reminder(rem), n.Message("Checked 1 key", "All look fine.")
	if wine.Version() == "" { // a real toast, shown: no balloon
		if err1 != nil || err2 != nil || len(b.shown) != 0 {
			t.Errorf("toasts: %v, %v; balloons %q; want two toasts and no balloon", err1, err2, b.shown)
		}
		return
	}
	if err1 != nil || err2 != nil || len(b.shown) != 2 {
		t.Errorf("under Wine: %v, %v; balloons %q; want both as balloons", err1, err2, b.shown)
	}
	if len(reported) != 1 || !strings.Contains(reported[0].Error(), "HRESULT") {
		t.Errorf("reported %v; want the failed toast once, with its HRESULT", reported)
	}

	t.Run("a balloon that fails too: not shown", func(t *testing.T) {
		b.err = errNoTrayIcon
		if err := n.Reminder(rem); !errors.Is(err, errNoTrayIcon) {
			t.Errorf("Reminder = %v; want the balloon's error", err)
		}
	})
}

func TestToasts_CloseKey(t *testing.T) {
	b := &balloonsRecorder{}
	var reported []error
	n := &toasts{appID: AppID + ".Test", token: testToken, balloons: b, report: func(err error) { reported = append(reported, err) }}
	n.CloseKey(testID)
	n.CloseKey(testID)
	if !slices.Equal(b.closed, []string{testID, testID}) {
		t.Errorf("balloons closed %q, want the key's twice", b.closed)
	}
	if wine.Version() == "" {
		if len(reported) != 0 {
			t.Errorf("reported %v; Windows 10 and 11 remove a group of toasts", reported)
		}
		return
	}
	if len(reported) != 1 || !strings.Contains(reported[0].Error(), "HRESULT") {
		t.Errorf("reported %v; want Wine's missing toast history once, with its HRESULT", reported)
	}
}

func TestToastGroup(t *testing.T) {
	if got := toastGroup("0123456789abcdef"); got != "0123456789abcdef" {
		t.Errorf("toastGroup(a record ID) = %q, want the ID", got)
	}
	long := toastGroup("a-record-id-longer-than-sixteen")
	if len(long) != maxToastGroup || long != toastGroup("a-record-id-longer-than-sixteen") {
		t.Errorf("toastGroup(a long ID) = %q, want %d characters, the same each time", long, maxToastGroup)
	}
	if odd := toastGroup("k1\x00ü"); len(odd) != maxToastGroup {
		t.Errorf("toastGroup(an ID with odd characters) = %q, want a digest", odd)
	}
}
