package keys_test

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// serviceErrors is every typed error the service returns, its own and the
// ones it passes on from the packages under it, with an example of each
// kind a face may see. A sentinel matched only by a typed error is given
// as that typed error.
func serviceErrors() map[string][]error {
	rec := vault.Record{ID: "0123456789abcdef", Name: "koinly-tax", Status: vault.StatusActive}
	pending := rec
	pending.Pending = &vault.Pending{Op: vault.PendingAdd}
	until := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	damaged := &vault.DamagedError{Path: "/x/keys.json", Reason: "it is not JSON", Backup: "/x/keys.json.bak"}
	notAllowed := &keys.NotAllowedError{Record: rec, Action: keys.ActExec, Why: "It has leaked."}
	notConfirmed := &keys.NotConfirmedError{Record: rec, Readback: vault.Readback{Outcome: vault.OutcomeOK}}
	dupName := &vault.DuplicateNameError{Name: "koinly-tax", ID: "a", OtherID: "b"}
	notFound := &vault.NotFoundError{Ref: "koinly"}
	ambiguous := &vault.AmbiguousError{Ref: "tax", Matches: []vault.Candidate{{ID: "a"}, {ID: "b"}}}
	symlink := &vault.SymlinkError{Path: "/x/keys.json", Target: "/etc/passwd"}
	locked := &guard.LockedError{Until: until}
	dupKey := &keys.DuplicateKeyError{Holder: rec}
	activityDamaged := &keys.ActivityDamagedError{Path: "/x/activity.json", Reason: "the file is empty"}
	m := map[string][]error{
		"keys.ErrDuplicateKey": {dupKey},
		"keys.DuplicateKeyError": {dupKey, &keys.DuplicateKeyError{Holder: rec, Replacing: true},
			&keys.DuplicateKeyError{Holder: pending}, &keys.DuplicateKeyError{Holder: pending, InProgress: true}},
		"keys.ErrNotAllowed":        {notAllowed},
		"keys.NotAllowedError":      {notAllowed},
		"keys.ErrNotConfirmed":      {notConfirmed},
		"keys.NotConfirmedError":    {notConfirmed, &keys.NotConfirmedError{Record: rec, Readback: vault.Readback{Outcome: vault.OutcomeError, Problem: "No answer."}}},
		"keys.ErrChanged":           {keys.ErrChanged},
		"keys.ErrWrongCode":         {keys.ErrWrongCode},
		"keys.ErrNoExchange":        {keys.ErrNoExchange},
		"keys.ErrNoName":            {keys.ErrNoName},
		"keys.ErrSettingsDamaged":   {keys.ErrSettingsDamaged},
		"keys.ImportError":          {&keys.ImportError{Msg: "That file changed meanwhile, so the copy was not imported."}},
		"keys.CopyError":            {&keys.CopyError{Msg: "the file changed meanwhile", Err: os.ErrPermission}},
		"keys.SettingError":         {&keys.SettingError{Name: "idle", Msg: "there is no setting called \"idle\""}},
		"keys.WatchRefusedError":    {&keys.WatchRefusedError{Name: "bot", Why: "Kraken says it also has “Funds – Withdraw”"}},
		"keys.ErrNoWatchKey":        {keys.ErrNoWatchKey},
		"keys.ErrActivityDamaged":   {activityDamaged},
		"keys.ActivityDamagedError": {activityDamaged},
		"check.ErrTypedCode":        {check.ErrTypedCode},
		"keys.EditConflictError":    {&keys.EditConflictError{Record: rec, Fields: []string{"notes"}}},
		"keys.EditError":            {&keys.EditError{Msg: "That purpose is not one Keywarden knows; choose one of the list."}},
		"keys.FolderError":          {&keys.FolderError{Err: errors.New("$HOME is not defined")}, &keys.FolderError{Dir: "/x", Err: os.ErrPermission}},

		"vault.ErrNotFound":           {notFound},
		"vault.NotFoundError":         {notFound, &vault.NotFoundError{Ref: "koinly", Near: []string{"koinly-tax"}}},
		"vault.ErrAmbiguous":          {ambiguous},
		"vault.AmbiguousError":        {ambiguous},
		"vault.ErrDuplicateName":      {dupName},
		"vault.DuplicateNameError":    {dupName},
		"vault.ErrInvalidRecord":      {fmt.Errorf("%w: key 1 has no name", vault.ErrInvalidRecord)},
		"vault.ErrDamaged":            {damaged},
		"vault.DamagedError":          {damaged, &vault.DamagedError{Path: "/x/keys.json", Reason: "it is not JSON"}, &vault.DamagedError{Path: "/x/keys.json", Newer: true}, &vault.DamagedError{Path: "/x/keys.json.bak", Reason: "it is empty"}},
		"vault.ErrNoBackup":           {vault.ErrNoBackup},
		"vault.ErrNotDamaged":         {vault.ErrNotDamaged},
		"vault.ErrSymlink":            {symlink},
		"vault.SymlinkError":          {symlink},
		"vault.StoreError":            {&vault.StoreError{Op: "read", Path: "/x/keys.json", Err: os.ErrPermission}, &vault.StoreError{Op: "save", Path: "/x/keys.json", Err: os.ErrPermission}},
		"vault.ErrTooLarge":           {&vault.TooLargeError{Path: "/x/keys.json", Max: 64 << 20}},
		"vault.ErrNotRegular":         {&vault.NotRegularError{Path: "/x/keys.json", Mode: fs.ModeNamedPipe}},
		"vault.TooLargeError":         {&vault.TooLargeError{Path: "/x/keys.json", Max: 64 << 20}},
		"vault.NotRegularError":       {&vault.NotRegularError{Path: "/x/keys.json", Mode: fs.ModeNamedPipe}},
		"vault.ErrSecretNotFound":     {vault.ErrSecretNotFound},
		"vault.ErrKeyringUnavailable": {vault.ErrKeyringUnavailable},
		"vault.KeyringError":          {&vault.KeyringError{Op: "get", Err: errors.New("failed to unlock correct collection")}},
		"vault.ErrKeyringTimeout":     {&vault.KeyringError{Op: "set", Err: vault.ErrKeyringTimeout}},
		"vault.ErrSecretTooBig":       {vault.ErrSecretTooBig},
		"vault.ErrSecretDamaged":      {vault.ErrSecretDamaged},

		"guard.ErrWrongCode":      {guard.ErrWrongCode},
		"guard.WrongCodeError":    {&guard.WrongCodeError{Left: 3}, &guard.WrongCodeError{Left: 1}},
		"guard.ErrLocked":         {locked},
		"guard.LockedError":       {locked, &guard.LockedError{Until: until, Rebuilt: true}},
		"guard.ErrReplayed":       {guard.ErrReplayed},
		"guard.ErrNotEnabled":     {guard.ErrNotEnabled},
		"guard.ErrAlreadyEnabled": {guard.ErrAlreadyEnabled},
		"guard.ErrCodeFormat":     {guard.ErrCodeFormat},
		"guard.ErrSeedMissing":    {guard.ErrSeedMissing, fmt.Errorf("%w: %w", guard.ErrSeedMissing, vault.ErrSecretNotFound)},
		"guard.ErrSeedPresent":    {guard.ErrSeedPresent},

		"remind.ErrDamaged":   {&remind.DamagedError{Path: "/x/reminders.json", Reason: "it is not JSON"}},
		"remind.DamagedError": {&remind.DamagedError{Path: "/x/reminders.json", Reason: "it is not JSON"}},

		"check.ErrNotLoopback":    {check.ErrNotLoopback},
		"check.ErrCodeNeeded":     {check.ErrCodeNeeded},
		"kraken.ErrBadBaseURL":    {fmt.Errorf("%w: it has no host", kraken.ErrBadBaseURL)},
		"kraken.ErrNotLoopback":   {fmt.Errorf("%w: %s", kraken.ErrNotLoopback, "localhost")},
		"kraken.ErrBadNonceScale": {kraken.ErrBadNonceScale},
		"kraken.APIError":         {&kraken.APIError{Method: "GetApiKeyInfo", Messages: []string{"EGeneral:Something new"}}},

		"context.Canceled":         {context.Canceled},
		"context.DeadlineExceeded": {context.DeadlineExceeded},
	}
	// The exchange's errors, as the checks and probes return them.
	for name, e := range map[string]error{
		"kraken.ErrInvalidKey":       kraken.ErrInvalidKey,
		"kraken.ErrInvalidSignature": kraken.ErrInvalidSignature,
		"kraken.ErrInvalidNonce":     kraken.ErrInvalidNonce,
		"kraken.ErrPermissionDenied": kraken.ErrPermissionDenied,
		"kraken.ErrLockout":          kraken.ErrLockout,
		"kraken.ErrRateLimited":      kraken.ErrRateLimited,
		"kraken.ErrThrottled":        kraken.ErrThrottled,
		"kraken.ErrUnknownMethod":    kraken.ErrUnknownMethod,
		"kraken.ErrExchangeDown":     kraken.ErrExchangeDown,
		"kraken.ErrNetwork":          kraken.ErrNetwork,
		"kraken.ErrBadResponse":      kraken.ErrBadResponse,
		"kraken.ErrMalformedKey":     kraken.ErrMalformedKey,
		"kraken.ErrSession":          kraken.ErrSession,
		"kraken.ErrAccountLocked":    kraken.ErrAccountLocked,
		"kraken.ErrFeatureDisabled":  kraken.ErrFeatureDisabled,
		"kraken.ErrBadRequest":       kraken.ErrBadRequest,
		"kraken.ErrMarketRestricted": kraken.ErrMarketRestricted,
		"kraken.ErrInvalidArguments": kraken.ErrInvalidArguments,
		"kraken.ErrOrderRefused":     kraken.ErrOrderRefused,
		"kraken.ErrFundingRefused":   kraken.ErrFundingRefused,
		"kraken.ErrUnknownAsset":     kraken.ErrUnknownAsset,
	} {
		m[name] = []error{e}
	}
	return m
}

// generic is the sentence for an error no package explains.
var generic = keys.UserMessage(errors.New("an error nobody words"))

// TestUserMessage_everyError: every typed error the service returns or
// passes on has a sentence of its own in keys.UserMessage, the words every
// face uses: not the general fallback, not another error's sentence (a
// vault sentence about the key list for a keyring that did not answer),
// and the same when wrapped. The list of errors is read from the source,
// so a new error without words fails here.
func TestUserMessage_everyError(t *testing.T) {
	table := serviceErrors()
	for _, name := range declaredErrors(t, map[string]string{
		"keys": ".", "vault": "../vault", "guard": "../guard", "remind": "../remind", "check": "../check", "kraken": "../../kraken",
	}) {
		switch name {
		case "kraken.KnownError": // an entry of kraken's table of error strings, not an error
			continue
		case "vault.ErrRealDataInTest": // only a test that reaches for the real key folder sees it
			continue
		}
		if _, ok := table[name]; !ok {
			t.Errorf("%s has no example in serviceErrors: add it, and its words", name)
		}
	}
	said := map[string]string{} // sentence → the error that said it first
	names := make([]string, 0, len(table))
	for name := range table {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for i, err := range table[name] {
			msg := keys.UserMessage(err)
			switch {
			case msg == "" || msg == generic:
				t.Errorf("%s (example %d): no sentence of its own, got %q", name, i, msg)
				continue
			case strings.HasPrefix(msg, "Keywarden could not read or save its key list. Check that its folder exists"):
				t.Errorf("%s (example %d): vault's fallback sentence %q", name, i, msg)
			}
			if wrapped := keys.UserMessage(fmt.Errorf("saving: %w", err)); wrapped != msg {
				t.Errorf("%s (example %d): wrapped, it says %q instead of %q", name, i, wrapped, msg)
			}
			if other, ok := said[msg]; ok && !sameKind(other, name) {
				t.Errorf("%s (example %d) says what %s says: %q", name, i, other, msg)
			}
			if _, ok := said[msg]; !ok {
				said[msg] = name
			}
		}
	}
}

// sameKind reports whether two names are a sentinel and the typed error
// that matches it ("vault.ErrDamaged" and "vault.DamagedError"), which
// rightly share their words.
func sameKind(a, b string) bool {
	base := func(n string) string {
		pkg, id, _ := strings.Cut(n, ".")
		id = strings.TrimSuffix(strings.TrimPrefix(id, "Err"), "Error")
		return pkg + "." + id
	}
	return base(a) == base(b) || (base(a) == "vault.KeyringUnavailable" && base(b) == "vault.Keyring") ||
		(base(b) == "vault.KeyringUnavailable" && base(a) == "vault.Keyring")
}

// declaredErrors returns the exported errors the packages declare:
// variables named Err… and types named …Error, as "pkg.Name".
func declaredErrors(t *testing.T, dirs map[string]string) []string {
	t.Helper()
	var out []string
	for pkg, dir := range dirs {
		fset := token.NewFileSet()
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			for _, decl := range f.Decls {
				g, ok := decl.(*ast.GenDecl)
				if !ok {
					continue
				}
				for _, spec := range g.Specs {
					switch s := spec.(type) {
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() && strings.HasPrefix(n.Name, "Err") {
								out = append(out, pkg+"."+n.Name)
							}
						}
					case *ast.TypeSpec:
						if s.Name.IsExported() && strings.HasSuffix(s.Name.Name, "Error") {
							out = append(out, pkg+"."+s.Name.Name)
						}
					}
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// TestFaces_useTheServiceWords: the faces put errors in words only
// through keys.UserMessage, never through a package under the service,
// whose words miss the others' errors (the wizard said "could not read or
// save its key list" for a refused rotation).
func TestFaces_useTheServiceWords(t *testing.T) {
	for _, dir := range []string{"../ui", "../cli", "../tray"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, pkg := range []string{"vault", "guard", "kraken", "remind", "check"} {
				if strings.Contains(string(b), pkg+".UserMessage(") || strings.Contains(string(b), pkg+".Explain(") {
					t.Errorf("%s words errors with %s.UserMessage or %s.Explain: use keys.UserMessage", path, pkg, pkg)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
