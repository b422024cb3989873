package vault

import (
	"bytes"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/kraken"
)

// leakySecret returns a secret made of fresh random bytes, shaped like a
// real Kraken key, so that no test file or binary can hold it by chance.
func leakySecret() Secret {
	api := make([]byte, 42)
	priv := make([]byte, 64)
	seed := make([]byte, 20)
	pw := make([]byte, 12)
	rand.Read(api)
	rand.Read(priv)
	rand.Read(seed)
	rand.Read(pw)
	return Secret{
		APIKey:      base64.StdEncoding.EncodeToString(api),  // 56 characters
		PrivateKey:  base64.StdEncoding.EncodeToString(priv), // 88 characters
		OTPSeed:     base32.StdEncoding.EncodeToString(seed),
		OTPPassword: hex.EncodeToString(pw),
	}
}

// leakForms returns every form of s worth looking for on disk: each secret
// plain, in base64 and hex, the private key's raw bytes, and 16-character
// pieces of each (a partial leak is a leak).
func leakForms(s Secret) map[string][]byte {
	forms := map[string][]byte{}
	add := func(label string, v []byte) {
		forms[label] = v
		forms[label+" base64"] = []byte(base64.StdEncoding.EncodeToString(v))
		forms[label+" base64url"] = []byte(base64.RawURLEncoding.EncodeToString(v))
		forms[label+" hex"] = []byte(hex.EncodeToString(v))
		forms[label+" HEX"] = []byte(strings.ToUpper(hex.EncodeToString(v)))
	}
	for label, v := range map[string]string{"API key": s.APIKey, "private key": s.PrivateKey, "OTP seed": s.OTPSeed, "OTP password": s.OTPPassword} {
		add(label, []byte(v))
		for i := 0; i+16 <= len(v); i += 8 {
			forms[fmt.Sprintf("%s piece at %d", label, i)] = []byte(v[i : i+16])
		}
	}
	raw, _ := base64.StdEncoding.DecodeString(s.PrivateKey)
	add("private key bytes", raw)
	return forms
}

// TestNoSecretOnDisk adds keys the way the app does, with their secrets in a
// SecretStore, then looks for any form of any secret in every file under
// the config, data, cache and temporary folders the test gave the app.
func TestNoSecretOnDisk(t *testing.T) {
	t.Run("memory secret store", func(t *testing.T) {
		checkNoLeak(t, NewMemory())
	})
	t.Run("system keyring", func(t *testing.T) {
		checkNoLeak(t, liveKeyring(t))
	})
}

func checkNoLeak(t *testing.T, secrets SecretStore) {
	root := t.TempDir()
	sysTmp := os.TempDir()
	// The folders the app could write to, moved under root: the XDG ones
	// on Linux and the BSDs, APPDATA, LOCALAPPDATA, TMP and TEMP on
	// Windows (HOME stays: the macOS keychain is found through it). The
	// store gets an explicit folder, since only Linux and the BSDs read
	// XDG_CONFIG_HOME.
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "TMPDIR",
		"APPDATA", "LOCALAPPDATA", "TMP", "TEMP"} {
		dir := filepath.Join(root, strings.ToLower(v))
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		t.Setenv(v, dir)
	}
	start := time.Now()
	dir := filepath.Join(root, "xdg_config_home", "keywarden")
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}

	var all []Secret
	var ids []string
	for i, name := range []string{"Koinly", "Freqtrade", "Dashboard", "Script", "Spare"} {
		sec := leakySecret()
		all = append(all, sec)
		info := &kraken.KeyInfo{
			Name: name, APIKey: sec.APIKey, Permissions: PurposeTaxImport.LeastPermissions(),
			Created: t0, LastUsed: t0.Add(time.Hour),
		}
		var id string
		err := s.Update(func(d *Data) error {
			rec := sampleRecord(name)
			rec.KeyHint = KeyHintOf(sec.APIKey)
			rec.TwoFA = TwoFASeed
			rb := ReadbackFromInfo(info, t0.Add(time.Duration(i)*time.Hour))
			rec.LastCheck = &rb
			r, err := d.Add(rec)
			if err != nil {
				return err
			}
			id = r.ID
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := secrets.Set(id, sec); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	t.Cleanup(func() {
		if _, ok := secrets.(*Keyring); ok {
			for _, id := range ids {
				_ = secrets.Delete(id)
			}
		}
	})
	// Read them back as a check would, and record a check on each.
	for _, id := range ids {
		sec, err := secrets.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		err = s.Update(func(d *Data) error {
			r, err := d.ByID(id)
			if err != nil {
				return err
			}
			r.AddEvent(t0, EventChecked, "key "+KeyHintOf(sec.APIKey)+" as intended")
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	forms := map[string][]byte{}
	for i, sec := range all {
		for k, v := range leakForms(sec) {
			forms[fmt.Sprintf("key %d's %s", i+1, k)] = v
		}
	}
	scanned := 0
	scan := func(path string) {
		b, err := os.ReadFile(path)
		if err != nil {
			return
		}
		scanned++
		for label, v := range forms {
			if bytes.Contains(b, v) {
				t.Errorf("%s found in %s", label, path)
			}
		}
	}
	err = filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			scan(path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Files the test's writes may have put in the system temp folder.
	if ents, err := os.ReadDir(sysTmp); err == nil {
		for _, e := range ents {
			if info, err := e.Info(); err == nil && info.Mode().IsRegular() && !info.ModTime().Before(start) && info.Size() < 64<<20 {
				scan(filepath.Join(sysTmp, e.Name()))
			}
		}
	}
	if scanned < 3 {
		t.Fatalf("scanned only %d files; the test is not looking where it should", scanned)
	}
	t.Logf("scanned %d files for %d forms of %d secrets", scanned, len(forms), len(all))

	// The hint is all of the API key the metadata may hold.
	b := readFile(t, s.Path())
	for _, sec := range all {
		if !bytes.Contains(b, []byte(`"keyHint": "`+KeyHintOf(sec.APIKey)+`"`)) {
			t.Error("the key hint is missing from the metadata")
		}
	}
}
