package vault

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func testData(t *testing.T) *Data {
	t.Helper()
	d := &Data{Version: SchemaVersion}
	for _, r := range []Record{
		{ID: "1111", Name: "Koinly tax", Status: StatusActive},
		{ID: "2222", Name: "Freqtrade bot", Status: StatusActive},
		{ID: "3333", Name: "Old bot", Status: StatusRevoked},
		{ID: "4444", Name: "old BOT", Status: StatusCompromised},
		{ID: "5555", Name: "Dashboard", Status: StatusRevoked},
		{ID: "6666", Name: "dashboard", Status: StatusParked},
	} {
		if _, err := d.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

func TestData_ByName(t *testing.T) {
	d := testData(t)
	tests := []struct {
		name    string
		ref     string
		wantID  string
		wantErr error
		near    []string
	}{
		{"exact", "Koinly tax", "1111", nil, nil},
		{"case-insensitive", "KOINLY TAX", "1111", nil, nil},
		{"surrounding spaces", "  freqtrade bot ", "2222", nil, nil},
		{"the one in use wins over a revoked namesake", "DASHBOARD", "6666", nil, nil},
		{"two retired namesakes are ambiguous", "old bot", "", ErrAmbiguous, nil},
		{"unknown with a typo", "Koinlly tax", "", ErrNotFound, []string{"Koinly tax"}},
		{"unknown, part of a name", "bot", "", ErrNotFound, []string{"Freqtrade bot", "Old bot"}},
		{"unknown, nothing alike", "zzzzzzzz", "", ErrNotFound, nil},
		{"empty", "", "", ErrNotFound, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := d.ByName(tt.ref)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("got %v, want %v", err, tt.wantErr)
				}
				var nf *NotFoundError
				if errors.As(err, &nf) && !reflect.DeepEqual(nf.Near, tt.near) {
					t.Errorf("near names %q, want %q", nf.Near, tt.near)
				}
				if UserMessage(err) == "" {
					t.Error("no user message")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.ID != tt.wantID {
				t.Errorf("got %s, want %s", r.ID, tt.wantID)
			}
		})
	}

	t.Run("the ambiguous error lists the IDs", func(t *testing.T) {
		_, err := d.ByName("old bot")
		var amb *AmbiguousError
		if !errors.As(err, &amb) || len(amb.Matches) != 2 {
			t.Fatalf("got %v", err)
		}
		for _, id := range []string{"3333", "4444"} {
			if !strings.Contains(err.Error(), id) || !strings.Contains(UserMessage(err), id) {
				t.Errorf("%s missing from %q / %q", id, err, UserMessage(err))
			}
		}
	})
	t.Run("the pointer is into the data", func(t *testing.T) {
		r, _ := d.ByName("koinly tax")
		r.Notes = "changed"
		if d.Records[0].Notes != "changed" {
			t.Error("ByName returned a copy")
		}
	})
}

func TestData_Find(t *testing.T) {
	d := testData(t)
	if r, err := d.Find("3333"); err != nil || r.Name != "Old bot" {
		t.Errorf("by ID: %v, %v", r, err)
	}
	if r, err := d.Find("freqtrade BOT"); err != nil || r.ID != "2222" {
		t.Errorf("by name: %v, %v", r, err)
	}
	if _, err := d.ByID("9999"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown ID: %v", err)
	}
}

func TestData_Add(t *testing.T) {
	d := testData(t)
	r, err := d.Add(Record{Name: "New key", Status: StatusActive})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.ID) != 16 || strings.Trim(r.ID, "0123456789abcdef") != "" {
		t.Errorf("ID %q is not 16 hex digits", r.ID)
	}
	tests := []struct {
		name string
		rec  Record
		want error
	}{
		{"same name as a key in use", Record{Name: "koinly TAX", Status: StatusActive}, ErrDuplicateName},
		{"same name as a parked key", Record{Name: "Dashboard", Status: StatusActive}, ErrDuplicateName},
		{"taken ID", Record{ID: "1111", Name: "other"}, ErrInvalidRecord},
		{"no name", Record{Name: "  "}, ErrInvalidRecord},
		{"key hint too long", Record{Name: "x", KeyHint: "12345"}, ErrInvalidRecord},
		{"same name as a revoked key is fine", Record{Name: "Old bot", Status: StatusActive}, nil},
		{"a revoked namesake is fine", Record{Name: "Koinly tax", Status: StatusRevoked}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := len(d.Records)
			_, err := d.Add(tt.rec)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if err != nil && len(d.Records) != n {
				t.Error("a refused record was added")
			}
			if err == nil {
				if verr := d.Validate(); verr != nil {
					t.Errorf("Add accepted what Validate refuses: %v", verr)
				}
			}
		})
	}
	t.Run("many IDs are unique", func(t *testing.T) {
		seen := map[string]bool{}
		for range 10000 {
			id := NewID()
			if seen[id] {
				t.Fatalf("duplicate ID %s", id)
			}
			seen[id] = true
		}
	})
}

func TestData_Remove(t *testing.T) {
	d := testData(t)
	if err := d.Remove("2222"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ByID("2222"); !errors.Is(err, ErrNotFound) {
		t.Error("record still there")
	}
	if len(d.Records) != 5 {
		t.Errorf("%d records left, want 5", len(d.Records))
	}
	if err := d.Remove("2222"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Remove: %v", err)
	}
}

func TestData_Validate(t *testing.T) {
	tests := []struct {
		name string
		recs []Record
		want error
	}{
		{"empty", nil, nil},
		{"fine", []Record{{ID: "a", Name: "x", Status: StatusActive}, {ID: "b", Name: "X", Status: StatusRevoked}}, nil},
		{"no ID", []Record{{Name: "x"}}, ErrInvalidRecord},
		{"duplicate ID", []Record{{ID: "a", Name: "x"}, {ID: "a", Name: "y"}}, ErrInvalidRecord},
		{"duplicate name in use", []Record{{ID: "a", Name: "x", Status: StatusActive}, {ID: "b", Name: " X", Status: StatusParked}}, ErrDuplicateName},
		{"long key hint", []Record{{ID: "a", Name: "x", KeyHint: "abcdefgh"}}, ErrInvalidRecord},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &Data{Version: SchemaVersion, Records: tt.recs}
			if err := d.Validate(); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestLevenshtein(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"", "", 3, 0},
		{"abc", "abc", 3, 0},
		{"kitten", "sitting", 3, 3},
		{"kitten", "sitting", 2, 3},
		{"a", "abcdef", 2, 3},
		{"über", "uber", 3, 1},
	}
	for _, tt := range tests {
		if got := levenshtein(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("levenshtein(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

func TestUserMessage(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"keyring", &KeyringError{Op: "get", Err: errors.New("dbus")}, "Unlock it"},
		{"no secret", ErrSecretNotFound, "holds no secret"},
		{"too big", ErrSecretTooBig, "too large"},
		{"damaged secret", ErrSecretDamaged, "Paste the key again"},
		{"not found", &NotFoundError{Ref: "tx", Near: []string{"tax", "Tax bot"}}, `Did you mean "tax" or "Tax bot"?`},
		{"duplicate", &DuplicateNameError{Name: "tax"}, "already named"},
		{"no backup", ErrNoBackup, "no backup"},
		{"other", errors.New("permission denied"), "could not read or save"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := UserMessage(tt.err)
			if !strings.Contains(got, tt.want) || (tt.want == "" && got != "") {
				t.Errorf("got %q, want it to contain %q", got, tt.want)
			}
		})
	}
}
