package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the loader, both to decode and through
// Store.Load on a real file. It must never panic; anything it accepts must
// be a well-formed document that survives a save and a reload unchanged;
// anything it refuses must be a *DamagedError that Update also refuses
// without touching the file. Findings live in testdata/fuzz/FuzzLoad.
func FuzzLoad(f *testing.F) {
	for _, tc := range damagedCases {
		f.Add([]byte(tc.data))
	}
	d := &Data{Version: SchemaVersion}
	for _, n := range []string{"Koinly tax", "Freqtrade bot", "Ünïcødé ✓"} {
		if _, err := d.Add(sampleRecord(n)); err != nil {
			f.Fatal(err)
		}
	}
	valid, err := encode(d)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add([]byte(`{"schema":1,"records":[]}`))
	f.Add([]byte(`{"schema":1,"records":null}`))
	f.Add([]byte(`{"schema":1}`))
	f.Add([]byte(`{"schema":1,"records":[{"id":"a","name":"x","unknown":{"nested":[1,2]}}]}`))
	for _, cut := range []int{1, 10, len(valid) / 2, len(valid) - 2} {
		f.Add(valid[:cut])
	}

	dir := f.TempDir()
	s, err := Open(filepath.Join(dir, "store"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := decode(b)
		if err := os.WriteFile(s.Path(), b, 0o600); err != nil {
			t.Fatal(err)
		}
		ld, lerr := s.Load()
		if (err == nil) != (lerr == nil) {
			t.Fatalf("decode says %v, Load says %v", err, lerr)
		}
		if err != nil {
			var fe *formatError
			if !errors.As(err, &fe) || d != nil {
				t.Fatalf("decode refused with %T %v and data %v", err, err, d)
			}
			var de *DamagedError
			if !errors.As(lerr, &de) || de.Path != s.Path() {
				t.Fatalf("Load refused with %v, want a *DamagedError naming the file", lerr)
			}
			if uerr := s.Update(func(*Data) error { return nil }); !errors.Is(uerr, ErrDamaged) {
				t.Fatalf("Update of a damaged file: %v", uerr)
			}
			if got, _ := os.ReadFile(s.Path()); !bytes.Equal(got, b) {
				t.Fatal("Update changed a damaged file")
			}
			return
		}
		if d.Version < 1 || d.Version > SchemaVersion {
			t.Fatalf("accepted schema %d", d.Version)
		}
		if len(ld.Records) != len(d.Records) {
			t.Fatalf("Load and decode disagree")
		}
		seen := map[string]bool{}
		for _, r := range d.Records {
			if r.ID == "" || seen[r.ID] {
				t.Fatalf("accepted an empty or repeated ID %q", r.ID)
			}
			seen[r.ID] = true
		}
		b2, err := encode(d)
		if err != nil {
			// A value json accepts but cannot write back (a time outside
			// years 0-9999): Update reports it; nothing is lost.
			return
		}
		d2, err := decode(b2)
		if err != nil {
			t.Fatalf("a saved document does not load: %v\n%s", err, b2)
		}
		b3, err := encode(d2)
		if err != nil || !bytes.Equal(b2, b3) {
			t.Fatalf("save, load, save is not stable: %v\n%s\n%s", err, b2, b3)
		}
	})
}
