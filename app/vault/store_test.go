package vault

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/kraken"
)

var t0 = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

// sampleRecord returns a record with every field set.
func sampleRecord(name string) Record {
	r := Record{
		Name:     name,
		Account:  "main account",
		Purpose:  PurposeTaxImport,
		UsedBy:   []string{"Koinly", "my laptop"},
		Notes:    "made for the 2024 tax year",
		KeyHint:  "x9Qz",
		Intended: PurposeTaxImport.LeastPermissions(),
		Restrictions: Restrictions{
			IPAllowlist: []string{"203.0.113.7", "198.51.100.0/24"},
			Expires:     t0.AddDate(1, 0, 0),
			NonceWindow: 0,
		},
		TwoFA:        TwoFANone,
		ReviewDays:   90,
		Created:      t0,
		LastReviewed: t0.AddDate(0, 1, 0),
		Status:       StatusActive,
		LastCheck: &Readback{
			At:          t0.Add(time.Hour),
			Outcome:     OutcomeOK,
			Name:        name,
			Permissions: []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger},
			LastUsed:    t0.Add(30 * time.Minute),
			IPAllowlist: []string{"203.0.113.7"},
		},
	}
	r.AddEvent(t0, EventAdded, "")
	r.AddEvent(t0.Add(time.Hour), EventChecked, "as intended")
	return r
}

func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "keywarden"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustUpdate(t testing.TB, s *Store, fn func(*Data) error) {
	t.Helper()
	if err := s.Update(fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func addNamed(t testing.TB, s *Store, names ...string) []string {
	t.Helper()
	var ids []string
	mustUpdate(t, s, func(d *Data) error {
		for _, n := range names {
			r, err := d.Add(sampleRecord(n))
			if err != nil {
				return err
			}
			ids = append(ids, r.ID)
		}
		return nil
	})
	return ids
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestStore_RoundTrip(t *testing.T) {
	s := openTemp(t)
	d, err := s.Load()
	if err != nil {
		t.Fatalf("Load of a missing file: %v", err)
	}
	if d.Version != SchemaVersion || len(d.Records) != 0 {
		t.Fatalf("missing file: got %+v, want an empty vault", d)
	}
	if _, err := os.Stat(s.Path()); !os.IsNotExist(err) {
		t.Fatal("Load created the file")
	}

	var want []Record
	mustUpdate(t, s, func(d *Data) error {
		for _, n := range []string{"Koinly tax", "Dashboard"} {
			r, err := d.Add(sampleRecord(n))
			if err != nil {
				return err
			}
			want = append(want, *r)
		}
		return nil
	})
	got, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != SchemaVersion {
		t.Errorf("schema = %d, want %d", got.Version, SchemaVersion)
	}
	if !reflect.DeepEqual(got.Records, want) {
		t.Errorf("records after a round trip:\n got %+v\nwant %+v", got.Records, want)
	}
	if b := readFile(t, s.Path()); !bytes.HasPrefix(b, []byte("{\n  \"schema\": 1,\n  \"records\": [")) {
		t.Errorf("file does not start with the schema version:\n%.80s", b)
	}
}

func TestStore_FileModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix modes")
	}
	dir := filepath.Join(t.TempDir(), "loose")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	addNamed(t, s, "a")
	addNamed(t, s, "b") // makes the backup
	for path, want := range map[string]os.FileMode{
		dir:                          0o700 | os.ModeDir,
		s.Path():                     0o600,
		s.BackupPath():               0o600,
		filepath.Join(dir, LockName): 0o600,
	} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode() != want {
			t.Errorf("%s: mode %v, want %v", filepath.Base(path), st.Mode(), want)
		}
	}
	t.Run("Open creates missing parents with mode 0700", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "config", "keywarden")
		if _, err := Open(dir); err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o700 {
			t.Errorf("mode %v, want 0700", st.Mode().Perm())
		}
	})
}

func TestDefaultDir(t *testing.T) {
	// Each OS finds the config folder through its own variable.
	base := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", base) // Linux and the BSDs
	t.Setenv("AppData", base)         // Windows
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		t.Setenv("HOME", base)
		base = filepath.Join(base, "Library", "Application Support")
	}
	got, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(base, "keywarden"); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestDefaultDir_refusesTheRealFolderInTests(t *testing.T) {
	if realDefaultDir == "" {
		t.Skip("this system has no config folder")
	}
	// A test that reaches the real folder by any way gets an error, and
	// nothing is created there.
	for _, dir := range []string{realDefaultDir, filepath.Join(realDefaultDir, "sub"), strings.ToUpper(realDefaultDir)} {
		if _, err := Open(dir); !errors.Is(err, ErrRealDataInTest) {
			t.Errorf("Open(%s) = %v, want ErrRealDataInTest", dir, err)
		}
	}
	if err := guardTestDir(filepath.Join(t.TempDir(), "keywarden")); err != nil {
		t.Errorf("a temporary folder was refused: %v", err)
	}
	if err := guardTestDir(realDefaultDir + "-other"); err != nil {
		t.Errorf("a sibling of the real folder was refused: %v", err)
	}
}

func TestStore_UpdateRereads(t *testing.T) {
	t.Run("interleaved updates from two Store values both survive", func(t *testing.T) {
		s1 := openTemp(t)
		s2, err := Open(s1.Dir())
		if err != nil {
			t.Fatal(err)
		}
		stale, err := s1.Load() // s1 has seen an empty vault
		if err != nil {
			t.Fatal(err)
		}
		addNamed(t, s2, "from s2")
		addNamed(t, s1, "from s1")
		if len(stale.Records) != 0 {
			t.Fatal("a loaded Data changed under its holder")
		}
		d, err := s2.Load()
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []string{"from s1", "from s2"} {
			if _, err := d.ByName(n); err != nil {
				t.Errorf("%s lost: %v", n, err)
			}
		}
	})

	t.Run("concurrent updates of different records all survive", func(t *testing.T) {
		s1 := openTemp(t)
		s2, err := Open(s1.Dir())
		if err != nil {
			t.Fatal(err)
		}
		const workers, rounds = 6, 20
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			s := s1
			if w%2 == 1 {
				s = s2
			}
			name := fmt.Sprintf("worker %d", w)
			wg.Go(func() {
				for range rounds {
					err := s.Update(func(d *Data) error {
						r, err := d.ByName(name)
						if errors.Is(err, ErrNotFound) {
							r, err = d.Add(Record{Name: name, Status: StatusActive})
						}
						if err != nil {
							return err
						}
						r.ReviewDays++
						return nil
					})
					if err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		d, err := s1.Load()
		if err != nil {
			t.Fatal(err)
		}
		for w := range workers {
			r, err := d.ByName(fmt.Sprintf("worker %d", w))
			if err != nil {
				t.Fatal(err)
			}
			if r.ReviewDays != rounds {
				t.Errorf("%s: counter %d, want %d", r.Name, r.ReviewDays, rounds)
			}
		}
	})
}

func TestStore_UpdateWritesNothing(t *testing.T) {
	t.Run("when fn fails", func(t *testing.T) {
		s := openTemp(t)
		addNamed(t, s, "a")
		before := readFile(t, s.Path())
		boom := errors.New("boom")
		err := s.Update(func(d *Data) error {
			d.Records[0].Name = "changed"
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("got %v, want fn's error", err)
		}
		if !bytes.Equal(readFile(t, s.Path()), before) {
			t.Error("the file changed although fn failed")
		}
		if _, err := os.Stat(s.BackupPath()); !os.IsNotExist(err) {
			t.Error("a backup was made although nothing was saved")
		}
	})
	t.Run("when nothing changed, keeping the backup one change behind", func(t *testing.T) {
		s := openTemp(t)
		addNamed(t, s, "a")
		first := readFile(t, s.Path())
		addNamed(t, s, "b")
		mustUpdate(t, s, func(*Data) error { return nil })
		if !bytes.Equal(readFile(t, s.BackupPath()), first) {
			t.Error("a no-op Update replaced the backup")
		}
	})
	t.Run("when the result is not valid", func(t *testing.T) {
		s := openTemp(t)
		addNamed(t, s, "Tax")
		before := readFile(t, s.Path())
		err := s.Update(func(d *Data) error {
			d.Records = append(d.Records, Record{ID: NewID(), Name: "tax ", Status: StatusParked})
			return nil
		})
		if !errors.Is(err, ErrDuplicateName) {
			t.Fatalf("got %v, want ErrDuplicateName", err)
		}
		if !bytes.Equal(readFile(t, s.Path()), before) {
			t.Error("an invalid document was written")
		}
	})
}

func TestStore_BackupIsPreviousVersion(t *testing.T) {
	s := openTemp(t)
	addNamed(t, s, "a")
	if _, err := os.Stat(s.BackupPath()); !os.IsNotExist(err) {
		t.Fatal("the first write made a backup of nothing")
	}
	v1 := readFile(t, s.Path())
	addNamed(t, s, "b")
	v2 := readFile(t, s.Path())
	if got := readFile(t, s.BackupPath()); !bytes.Equal(got, v1) {
		t.Fatalf("backup after the second write is not the first version:\n%s", got)
	}
	addNamed(t, s, "c")
	if got := readFile(t, s.BackupPath()); !bytes.Equal(got, v2) {
		t.Fatalf("backup after the third write is not the second version:\n%s", got)
	}
	ents, err := os.ReadDir(s.Dir())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if want := []string{FileName, BackupName, LockName}; !reflect.DeepEqual(names, want) {
		t.Errorf("store folder holds %q, want %q", names, want)
	}
}

// damagedCases are files Load must refuse; they seed FuzzLoad too.
var damagedCases = []struct {
	name  string
	data  string
	newer bool
}{
	{"empty file", "", false},
	{"spaces only", " \n\t", false},
	{"not JSON", "this is not json", false},
	{"truncated", `{"schema": 1, "records": [{"id": "a1", "name": "tax"`, false},
	{"trailing garbage", `{"schema": 1, "records": []} x`, false},
	{"NUL bytes", "\x00\x00\x00\x00", false},
	{"JSON null", "null", false},
	{"an array", "[]", false},
	{"no schema", `{"records": []}`, false},
	{"schema is a string", `{"schema": "1", "records": []}`, false},
	{"schema zero", `{"schema": 0, "records": []}`, false},
	{"negative schema", `{"schema": -1, "records": []}`, false},
	{"newer schema", `{"schema": 2, "records": [{"id": "a1", "labels": {"x": 1}}]}`, true},
	{"much newer schema", `{"schema": 99, "records": "who knows"}`, true},
	{"records is an object", `{"schema": 1, "records": {}}`, false},
	{"record of the wrong type", `{"schema": 1, "records": [42]}`, false},
	{"field of the wrong type", `{"schema": 1, "records": [{"id": "a1", "name": 7}]}`, false},
	{"record without ID", `{"schema": 1, "records": [{"name": "tax"}]}`, false},
	{"two records with one ID", `{"schema": 1, "records": [{"id": "a1", "name": "a"}, {"id": "a1", "name": "b"}]}`, false},
	{"bad time", `{"schema": 1, "records": [{"id": "a1", "name": "a", "created": "yesterday"}]}`, false},
}

func TestStore_Damaged(t *testing.T) {
	for _, tc := range damagedCases {
		t.Run(tc.name, func(t *testing.T) {
			for _, withBackup := range []bool{false, true} {
				s := openTemp(t)
				if withBackup {
					addNamed(t, s, "a")
					addNamed(t, s, "b")
				}
				bak, _ := os.ReadFile(s.BackupPath())
				if err := os.WriteFile(s.Path(), []byte(tc.data), 0o600); err != nil {
					t.Fatal(err)
				}
				before := readFile(t, s.Path())
				st0, _ := os.Stat(s.Path())

				_, err := s.Load()
				checkDamaged(t, s, err, withBackup, tc.newer)
				err = s.Update(func(d *Data) error {
					_, err := d.Add(Record{Name: "new"})
					return err
				})
				checkDamaged(t, s, err, withBackup, tc.newer)

				if !bytes.Equal(readFile(t, s.Path()), before) {
					t.Fatal("the damaged file was changed")
				}
				if st, _ := os.Stat(s.Path()); !os.SameFile(st, st0) {
					t.Fatal("the damaged file was replaced")
				}
				if got, _ := os.ReadFile(s.BackupPath()); !bytes.Equal(got, bak) {
					t.Fatal("the backup was changed")
				}
				ents, _ := os.ReadDir(s.Dir())
				for _, e := range ents {
					if strings.HasPrefix(e.Name(), ".") {
						t.Errorf("left a temporary file: %s", e.Name())
					}
				}
			}
		})
	}
}

func checkDamaged(t *testing.T, s *Store, err error, withBackup, newer bool) {
	t.Helper()
	var de *DamagedError
	if !errors.As(err, &de) {
		t.Fatalf("got %v, want a *DamagedError", err)
	}
	if !errors.Is(err, ErrDamaged) {
		t.Error("errors.Is(err, ErrDamaged) is false")
	}
	if de.Path != s.Path() || !strings.Contains(err.Error(), s.Path()) {
		t.Errorf("the error does not name the file: %v", err)
	}
	if de.HasBackup() != withBackup {
		t.Errorf("HasBackup() = %v, want %v", de.HasBackup(), withBackup)
	}
	if withBackup && de.Backup != s.BackupPath() {
		t.Errorf("Backup = %q, want %q", de.Backup, s.BackupPath())
	}
	if de.Newer != newer {
		t.Errorf("Newer = %v, want %v", de.Newer, newer)
	}
	msg := UserMessage(err)
	if !strings.Contains(msg, s.Path()) {
		t.Errorf("the user message does not name the file: %s", msg)
	}
	switch {
	case newer && !strings.Contains(msg, "newer version"):
		t.Errorf("the user message does not say to update Keywarden: %s", msg)
	case !newer && withBackup && !strings.Contains(msg, "restore"):
		t.Errorf("the user message does not offer the backup: %s", msg)
	}
}

func TestStore_RestoreBackup(t *testing.T) {
	s := openTemp(t)
	addNamed(t, s, "a")
	addNamed(t, s, "b")
	good := readFile(t, s.BackupPath()) // holds "a" only
	damaged := []byte(`{"schema": 1, "records": [{"id": "`)
	if err := os.WriteFile(s.Path(), damaged, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := s.Load()
	var de *DamagedError
	if !errors.As(err, &de) || !de.HasBackup() {
		t.Fatalf("got %v, want a *DamagedError with a backup", err)
	}
	aside, err := de.RestoreBackup()
	if err != nil {
		t.Fatalf("RestoreBackup: %v", err)
	}
	if !strings.HasPrefix(filepath.Base(aside), FileName+".damaged-") || filepath.Dir(aside) != s.Dir() {
		t.Errorf("damaged file moved to %s", aside)
	}
	if got := readFile(t, aside); !bytes.Equal(got, damaged) {
		t.Error("the damaged file was not kept as it was")
	}
	if got := readFile(t, s.Path()); !bytes.Equal(got, good) {
		t.Error("keys.json is not the backup")
	}
	if got := readFile(t, s.BackupPath()); !bytes.Equal(got, good) {
		t.Error("the backup itself changed")
	}
	d, err := s.Load()
	if err != nil {
		t.Fatalf("Load after restoring: %v", err)
	}
	if len(d.Records) != 1 || d.Records[0].Name != "a" {
		t.Errorf("restored records: %+v", d.Records)
	}
	if runtime.GOOS != "windows" {
		if st, _ := os.Stat(s.Path()); st.Mode().Perm() != 0o600 {
			t.Errorf("restored file mode %v", st.Mode().Perm())
		}
	}

	t.Run("refused when the file is not damaged", func(t *testing.T) {
		if _, err := s.RestoreBackup(); !errors.Is(err, ErrNotDamaged) {
			t.Errorf("got %v, want ErrNotDamaged", err)
		}
	})
	t.Run("refused without a backup", func(t *testing.T) {
		s := openTemp(t)
		os.WriteFile(s.Path(), []byte("junk"), 0o600)
		if _, err := s.RestoreBackup(); !errors.Is(err, ErrNoBackup) {
			t.Errorf("got %v, want ErrNoBackup", err)
		}
		if got := readFile(t, s.Path()); string(got) != "junk" {
			t.Error("the damaged file was touched")
		}
	})
	t.Run("refused when the backup is damaged too", func(t *testing.T) {
		s := openTemp(t)
		os.WriteFile(s.Path(), []byte("junk"), 0o600)
		os.WriteFile(s.BackupPath(), []byte("more junk"), 0o600)
		_, err := s.RestoreBackup()
		var de *DamagedError
		if !errors.As(err, &de) || de.Path != s.BackupPath() {
			t.Fatalf("got %v, want a *DamagedError naming the backup", err)
		}
		if msg := UserMessage(err); !strings.Contains(msg, "backup") || !strings.Contains(msg, "not restored") {
			t.Errorf("user message: %s", msg)
		}
		if got := readFile(t, s.Path()); string(got) != "junk" {
			t.Error("the damaged file was touched")
		}
	})
	t.Run("two restores keep both damaged files", func(t *testing.T) {
		os.WriteFile(s.Path(), []byte("junk 1"), 0o600)
		a1, err := s.RestoreBackup()
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(s.Path(), []byte("junk 2"), 0o600)
		a2, err := s.RestoreBackup()
		if err != nil {
			t.Fatal(err)
		}
		if a1 == a2 || string(readFile(t, a1)) != "junk 1" || string(readFile(t, a2)) != "junk 2" {
			t.Errorf("damaged files %s and %s", a1, a2)
		}
	})
}

func TestStore_RemovesStaleTempFiles(t *testing.T) {
	s := openTemp(t)
	addNamed(t, s, "a")
	for _, n := range []string{tmpPrefix + "123", bakTmpPrefix + "456"} {
		os.WriteFile(filepath.Join(s.Dir(), n), []byte("left by a killed writer"), 0o600)
	}
	addNamed(t, s, "b")
	for _, n := range []string{tmpPrefix + "123", bakTmpPrefix + "456"} {
		if _, err := os.Stat(filepath.Join(s.Dir(), n)); !os.IsNotExist(err) {
			t.Errorf("%s is still there", n)
		}
	}
}

func TestStore_NeverHoldsAKeyHintLongerThanFour(t *testing.T) {
	s := openTemp(t)
	const apiKey = "AAAABBBBCCCCDDDDEEEEFFFFGGGGHHHHIIIIJJJJKKKKLLLLMMMMNNNN"
	err := s.Update(func(d *Data) error {
		r := sampleRecord("leaky")
		r.KeyHint = apiKey
		_, err := d.Add(r)
		return err
	})
	if !errors.Is(err, ErrInvalidRecord) {
		t.Fatalf("got %v, want ErrInvalidRecord", err)
	}
	if strings.Contains(err.Error(), "AAAA") || strings.Contains(UserMessage(err), "AAAA") {
		t.Error("the error quotes the key")
	}
	if _, err := os.Stat(s.Path()); !os.IsNotExist(err) {
		t.Error("the file was written")
	}
}

func TestStore_WithoutHardLinks(t *testing.T) {
	linkFile = func(string, string) error { return errors.New("links not supported") }
	t.Cleanup(func() { linkFile = os.Link })
	s := openTemp(t)
	addNamed(t, s, "a")
	v1 := readFile(t, s.Path())
	addNamed(t, s, "b")
	if got := readFile(t, s.BackupPath()); !bytes.Equal(got, v1) {
		t.Fatal("the copied backup is not the previous version")
	}
	os.WriteFile(s.Path(), []byte("junk"), 0o600)
	aside, err := s.RestoreBackup()
	if err != nil {
		t.Fatal(err)
	}
	if string(readFile(t, aside)) != "junk" || !bytes.Equal(readFile(t, s.Path()), v1) {
		t.Error("restore without links did not keep the damaged file and restore the backup")
	}
	if runtime.GOOS != "windows" {
		for _, p := range []string{s.BackupPath(), aside} {
			if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
				t.Errorf("%s: mode %v", p, st.Mode().Perm())
			}
		}
	}
}
