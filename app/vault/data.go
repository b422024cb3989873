package vault

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// SchemaVersion is the version of the metadata document this code reads and
// writes. A file with a larger number was written by a newer Keywarden and
// is refused rather than rewritten.
const SchemaVersion = 1

// maxKeyHint is the most of an API key a record may hold (see KeyHintOf).
const maxKeyHint = 4

// Data is the whole metadata document: every record Keywarden knows.
type Data struct {
	Version int      `json:"schema"`
	Records []Record `json:"records"`
}

// Errors for looking records up and saving them, matched with errors.Is.
var (
	ErrNotFound      = errors.New("no such key")
	ErrAmbiguous     = errors.New("more than one key has that name")
	ErrDuplicateName = errors.New("another key already has that name")
	ErrInvalidRecord = errors.New("the record is not valid")
)

// NotFoundError says that no record has the ID or name asked for. Near lists
// the names of records that look alike, best first.
type NotFoundError struct {
	Ref  string
	Near []string
}

// Error names what was asked for and any similar names.
func (e *NotFoundError) Error() string {
	msg := fmt.Sprintf("no key named %q", e.Ref)
	if len(e.Near) > 0 {
		msg += " (did you mean " + quoteList(e.Near, "or") + "?)"
	}
	return msg
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// Candidate is one of several records an ambiguous name matches.
type Candidate struct {
	ID     string
	Name   string
	Status Status
}

// AmbiguousError says that a name matches several records and none stands
// out; the caller should ask for the ID instead.
type AmbiguousError struct {
	Ref     string
	Matches []Candidate
}

// Error names the name and the IDs it matches.
func (e *AmbiguousError) Error() string {
	parts := make([]string, len(e.Matches))
	for i, c := range e.Matches {
		parts[i] = fmt.Sprintf("%s (%s)", c.ID, c.Status)
	}
	return fmt.Sprintf("%d keys are named %q: %s", len(e.Matches), e.Ref, strings.Join(parts, ", "))
}

// Is makes errors.Is(err, ErrAmbiguous) true.
func (e *AmbiguousError) Is(target error) bool { return target == ErrAmbiguous }

// DuplicateNameError says that two records in use would share a name.
type DuplicateNameError struct {
	Name    string
	ID      string // the record being saved
	OtherID string // the record that already has the name
}

// Error names the clashing name.
func (e *DuplicateNameError) Error() string {
	return fmt.Sprintf("another key (%s) is already named %q", e.OtherID, e.Name)
}

// Is makes errors.Is(err, ErrDuplicateName) true.
func (e *DuplicateNameError) Is(target error) bool { return target == ErrDuplicateName }

// NewID returns a fresh random record ID: 16 hex digits from crypto/rand.
func NewID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails since Go 1.24
	return hex.EncodeToString(b[:])
}

// ByID returns the record with the given ID. The pointer is into
// d.Records and is valid until records are added or removed.
func (d *Data) ByID(id string) (*Record, error) {
	for i := range d.Records {
		if d.Records[i].ID == id {
			return &d.Records[i], nil
		}
	}
	return nil, &NotFoundError{Ref: id}
}

// ByName returns the record named name, compared case-insensitively. When
// several records share the name (a revoked key and its replacement), the
// only one not retired wins; if there is no such single record the answer
// is an *AmbiguousError. An unknown name gives a *NotFoundError listing
// similar names.
func (d *Data) ByName(name string) (*Record, error) {
	want := strings.TrimSpace(name)
	var matches []int
	for i := range d.Records {
		if strings.EqualFold(d.Records[i].Name, want) {
			matches = append(matches, i)
		}
	}
	switch len(matches) {
	case 0:
		return nil, &NotFoundError{Ref: name, Near: d.nearNames(want)}
	case 1:
		return &d.Records[matches[0]], nil
	}
	live := -1
	for _, i := range matches {
		if !d.Records[i].Retired() {
			if live >= 0 {
				live = -2
				break
			}
			live = i
		}
	}
	if live >= 0 {
		return &d.Records[live], nil
	}
	amb := &AmbiguousError{Ref: name}
	for _, i := range matches {
		r := &d.Records[i]
		amb.Matches = append(amb.Matches, Candidate{ID: r.ID, Name: r.Name, Status: r.Status})
	}
	return nil, amb
}

// Find returns the record whose ID is ref or, failing that, whose name is
// ref (see ByName).
func (d *Data) Find(ref string) (*Record, error) {
	if r, err := d.ByID(strings.TrimSpace(ref)); err == nil {
		return r, nil
	}
	return d.ByName(ref)
}

// Add appends r, giving it a new ID when it has none, and returns a pointer
// to the stored copy. It refuses an empty name, a name already used by a
// record in use, and an ID already taken.
func (d *Data) Add(r Record) (*Record, error) {
	if r.ID == "" {
		r.ID = NewID()
		for d.hasID(r.ID) {
			r.ID = NewID()
		}
	} else if d.hasID(r.ID) {
		return nil, fmt.Errorf("%w: ID %s is already taken", ErrInvalidRecord, r.ID)
	}
	if err := d.checkRecord(&r, -1); err != nil {
		return nil, err
	}
	d.Records = append(d.Records, r)
	return &d.Records[len(d.Records)-1], nil
}

// Remove deletes the record with the given ID.
func (d *Data) Remove(id string) error {
	for i := range d.Records {
		if d.Records[i].ID == id {
			d.Records = append(d.Records[:i], d.Records[i+1:]...)
			return nil
		}
	}
	return &NotFoundError{Ref: id}
}

// Validate checks the rules every saved document keeps: each record has a
// unique, non-empty ID and a name; no two records in use (not revoked or
// compromised) share a name, compared case-insensitively; and no record
// holds more of its API key than a short hint.
func (d *Data) Validate() error {
	ids := make(map[string]struct{}, len(d.Records))
	names := make(map[string]int, len(d.Records))
	for i := range d.Records {
		r := &d.Records[i]
		if r.ID == "" {
			return fmt.Errorf("%w: the key named %q has no ID", ErrInvalidRecord, r.Name)
		}
		if _, dup := ids[r.ID]; dup {
			return fmt.Errorf("%w: two keys share the ID %s", ErrInvalidRecord, r.ID)
		}
		ids[r.ID] = struct{}{}
		if err := checkFields(r); err != nil {
			return err
		}
		if r.Retired() {
			continue
		}
		k := foldName(r.Name)
		if j, dup := names[k]; dup {
			return &DuplicateNameError{Name: r.Name, ID: r.ID, OtherID: d.Records[j].ID}
		}
		names[k] = i
	}
	return nil
}

func (d *Data) hasID(id string) bool {
	for i := range d.Records {
		if d.Records[i].ID == id {
			return true
		}
	}
	return false
}

// checkRecord checks r against the other records; skip is the index of r
// itself in d.Records, or -1.
func (d *Data) checkRecord(r *Record, skip int) error {
	if err := checkFields(r); err != nil {
		return err
	}
	if r.Retired() {
		return nil
	}
	k := foldName(r.Name)
	for i := range d.Records {
		o := &d.Records[i]
		if i != skip && !o.Retired() && foldName(o.Name) == k {
			return &DuplicateNameError{Name: r.Name, ID: r.ID, OtherID: o.ID}
		}
	}
	return nil
}

func checkFields(r *Record) error {
	if strings.TrimSpace(r.Name) == "" {
		return fmt.Errorf("%w: key %s has no name", ErrInvalidRecord, r.ID)
	}
	if len(r.KeyHint) > maxKeyHint {
		// Never echo the field: it may be the whole API key.
		return fmt.Errorf("%w: key %q holds more than the last %d characters of its API key", ErrInvalidRecord, r.Name, maxKeyHint)
	}
	return nil
}

func foldName(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// nearNames returns up to three record names that look like name: the ones
// containing it or contained in it, then the ones a couple of typos away.
func (d *Data) nearNames(name string) []string {
	want := foldName(name)
	if want == "" {
		return nil
	}
	type scored struct {
		name  string
		score int
	}
	var found []scored
	seen := map[string]bool{}
	for i := range d.Records {
		n := d.Records[i].Name
		k := foldName(n)
		if seen[k] {
			continue
		}
		score := -1
		switch {
		case strings.Contains(k, want) || strings.Contains(want, k):
			score = 0
		default:
			if dist := levenshtein(k, want, 3); dist <= max(1, min(3, len(want)/3)) {
				score = dist
			}
		}
		if score >= 0 {
			seen[k] = true
			found = append(found, scored{n, score})
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].score < found[j].score })
	var out []string
	for i := 0; i < len(found) && i < 3; i++ {
		out = append(out, found[i].name)
	}
	return out
}

// levenshtein returns the edit distance between a and b, or limit+1 when it
// is more than limit.
func levenshtein(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func quoteList(items []string, conj string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " " + conj + " " + q[len(q)-1]
}
