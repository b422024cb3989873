package keys

import "github.com/keywarden/keywarden/app/vault"

// TwoFAWords says in a few plain words how the key's own 2FA is handled,
// the same in every face. A value this version does not know (a newer or
// damaged key list) is not called "none": the key may well ask for a code.
func TwoFAWords(t vault.TwoFA) string {
	switch t {
	case vault.TwoFANone, "":
		return "none"
	case vault.TwoFATyped:
		return "a code you type at each check"
	case vault.TwoFASeed:
		return "authenticator seed kept in the system keyring"
	case vault.TwoFAPassword:
		return "2FA password kept in the system keyring"
	}
	return "a kind this version of Keywarden does not know"
}

// EventWords names a history event as every face shows it: its kind, but a
// leak by the one name the faces give it ("marked as leaked").
func EventWords(k vault.EventKind) string {
	if k == vault.EventCompromised {
		return "marked as leaked"
	}
	return string(k)
}
