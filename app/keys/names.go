package keys

import (
	"errors"
	"strings"

	"github.com/keywarden/keywarden/app/vault"
)

// ErrNoName is returned by CheckName for a name that is empty or only
// spaces.
var ErrNoName = errors.New("keys: the key has no name")

// CheckName says whether name may be given to a key, among recs: it must
// not be empty, and no other key in use (not retired) may have it,
// compared without case and outer spaces, as the store compares them when
// it saves. exceptID is the key being renamed, or "" for a new key; the key
// a rotation replaces counts, since it stays in use until its replacement
// works. A clash is a *vault.DuplicateNameError naming the other key, the
// very error the save would give, so the faces can refuse before asking
// for anything else and say it in the same words (UserMessage).
func CheckName(recs []vault.Record, name, exceptID string) error {
	want := strings.ToLower(strings.TrimSpace(name))
	if want == "" {
		return ErrNoName
	}
	for _, r := range recs {
		if r.ID != exceptID && !r.Retired() && strings.ToLower(strings.TrimSpace(r.Name)) == want {
			return &vault.DuplicateNameError{Name: r.Name, ID: exceptID, OtherID: r.ID}
		}
	}
	return nil
}
