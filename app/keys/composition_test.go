package keys_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

const module = "github.com/keywarden/keywarden/"

// faceAllowed is, for each package under the service, exactly what a face
// (app/ui and its packages, app/cli, app/tray) may name from it, and why.
// Everything else is reached through the keys.Service that keys.Open
// builds. A package missing here may not be imported by a face at all
// (go-keyring: only app/vault touches the keyring). The constants of
// vault, check and kraken (statuses, outcomes, purposes, permission codes,
// nonce scales, key lengths) are allowed besides the list: a constant
// reads nothing and calls nobody.
var faceAllowed = map[string]map[string]string{
	module + "app/vault": {
		// The records the service hands out and takes, and their values.
		"Record": "data", "Readback": "data", "Secret": "data (what a person pastes)", "Restrictions": "data",
		"Purpose": "data", "TwoFA": "data", "Status": "data", "Outcome": "data", "Data": "a list of records in memory, to find one by name",
		"Purposes": "the purposes, in order", "LeakStepCodes": "the leak runbook's steps, in order",
		// Errors a face tells apart with errors.Is / errors.As.
		"DamagedError": "a damaged key list offers its backup", "ErrDuplicateName": "errors.Is", "ErrKeyringUnavailable": "errors.Is",
		"ErrNotFound": "errors.Is", "ErrSecretNotFound": "errors.Is",
		// Neither the key list nor the keyring.
		"Harden":        "marks the process non-dumpable",
		"ReadFileLimit": "the window's own idle-state file: regular files only, size-capped",
		"SecretStore":   "app/cli only: cli.IO.Secrets, the tests' memory keyring, passed unread into keys.Open",
	},
	module + "app/check": {
		"Result":              "data: what the scheduler's background check returns",
		"SuggestedNonceScale": "a pure function of a record's last check",
	},
	module + "kraken": {
		"Permission": "data", "PermissionInfo": "data", "Risk": "data", "NonceScale": "data",
		"Catalogue": "the permission catalogue", "SortPermissions": "pure", "MaxRisk": "pure",
		"CheckKeyShape": "pure: the format of a pasted key", "ParseNonceScale": "pure", "ErrMalformedKey": "errors.Is",
		"RiskWords": "pure: the words for a set of permissions' risk (\"money in only\" for Deposit), as Permission.RiskWords",
	},
	module + "app/keys": nil, // all but the service's own constructor, below
}

// faceForbidden names what a face may not use from an allowed package.
var faceForbidden = map[string]map[string]string{
	module + "app/keys": {
		"New":    "the service is built by keys.Open, the composition root",
		"Params": "the service is built by keys.Open, the composition root",
	},
}

// onlyIn limits an allowed name to one face.
var onlyIn = map[string]string{module + "app/vault.SecretStore": "app/cli"}

// TestFaces_reachNothingUnderTheService: the window, the tray part and the
// command line get a keys.Service from keys.Open and nothing under it.
// They never import go-keyring, never name the key list's store, the
// keyring, the exchange's checker or client, and never build a service of
// their own; what they may name from the packages under the service is
// listed, with why, in faceAllowed.
func TestFaces_reachNothingUnderTheService(t *testing.T) {
	consts := map[string]map[string]bool{
		module + "app/vault": constantsOf(t, "../vault", "StatusRevoked"),
		module + "app/check": constantsOf(t, "../check", "EnvKrakenURL"),
		module + "kraken":    constantsOf(t, "../../kraken", "QueryFunds"),
	}
	files := 0
	for _, face := range []string{"ui", "cli", "tray"} {
		err := filepath.WalkDir(filepath.Join("..", face), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			files++
			for _, bad := range faceUses(t, path, "app/"+face, consts) {
				t.Errorf("%s: %s", filepath.ToSlash(path), bad)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if files < 50 {
		t.Fatalf("read only %d files of the faces: the walk missed them", files)
	}
}

// faceUses returns what the file at path (of face) uses that it may not.
func faceUses(t *testing.T, path, face string, consts map[string]map[string]bool) []string {
	t.Helper()
	// With object resolution, a name the file declares itself (a variable
	// called check) carries its object; a package's name carries none.
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	local := map[string]string{} // name in the file → import path
	var bad []string
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		_, watched := faceAllowed[p]
		switch {
		case strings.HasPrefix(p, "github.com/zalando/go-keyring"):
			bad = append(bad, "imports go-keyring: only app/vault touches the keyring")
		case !watched:
		case imp.Name != nil && (imp.Name.Name == "." || imp.Name.Name == "_"):
			bad = append(bad, "imports "+p+" as "+imp.Name.Name)
		case imp.Name != nil:
			local[imp.Name.Name] = p
		default:
			local[p[strings.LastIndex(p, "/")+1:]] = p
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		x, ok := sel.X.(*ast.Ident)
		if !ok || local[x.Name] == "" || x.Obj != nil {
			return true
		}
		p, name := local[x.Name], sel.Sel.Name
		if why := faceForbidden[p][name]; why != "" {
			bad = append(bad, x.Name+"."+name+": "+why)
			return true
		}
		allowed, listed := faceAllowed[p][name]
		switch {
		case faceAllowed[p] == nil:
		case consts[p][name]:
		case !listed || allowed == "":
			bad = append(bad, x.Name+"."+name+" is under the service: go through keys.Service (or list it in faceAllowed, with why)")
		case onlyIn[p+"."+name] != "" && onlyIn[p+"."+name] != face:
			bad = append(bad, x.Name+"."+name+" is allowed in "+onlyIn[p+"."+name]+" only")
		}
		return true
	})
	return bad
}

// constantsOf returns the names of the exported constants declared in the
// package in dir; one of them must be known.
func constantsOf(t *testing.T, dir, known string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
				for _, s := range g.Specs {
					for _, n := range s.(*ast.ValueSpec).Names {
						out[n.Name] = n.IsExported()
					}
				}
			}
		}
	}
	if !out[known] {
		t.Fatalf("no constant %s found in %s: the test reads the wrong folder", known, dir)
	}
	return out
}

// TestService_handsOutNoLayerUnderIt: no method of keys.Service returns
// the key list's store, the keyring, the exchange's checker or client, so
// a face given the service cannot reach under it (Store() did).
func TestService_handsOutNoLayerUnderIt(t *testing.T) {
	under := []reflect.Type{
		reflect.TypeFor[*vault.Store](), reflect.TypeFor[vault.SecretStore](), reflect.TypeFor[*vault.Memory](),
		reflect.TypeFor[*check.Runner](), reflect.TypeFor[*kraken.Client](),
	}
	svc := reflect.TypeFor[*keys.Service]()
	if svc.NumMethod() < 20 {
		t.Fatalf("*keys.Service has %d methods: the test does not see them", svc.NumMethod())
	}
	for i := range svc.NumMethod() {
		m := svc.Method(i)
		for j := range m.Type.NumOut() {
			out := m.Type.Out(j)
			for _, u := range under {
				if out == u {
					t.Errorf("Service.%s returns %v, a layer under the service: give the face what it needs from it instead", m.Name, u)
				}
			}
		}
	}
}
