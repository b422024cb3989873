package sweep

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/internal/testfiles"
)

// newKey makes a random Kraken-shaped key pair named name: a 56-character
// API key and an 88-character private key of 64 bytes. want, if given,
// are characters both values must contain ("/+" to test escapes).
func newKey(t testing.TB, name, want string) Key {
	t.Helper()
	for {
		api, priv := make([]byte, 42), make([]byte, 64)
		rand.Read(api)
		rand.Read(priv)
		k := Key{ID: "id-" + name, Name: name, APIKey: base64.StdEncoding.EncodeToString(api), PrivateKey: base64.StdEncoding.EncodeToString(priv)}
		k.Hint = k.APIKey[len(k.APIKey)-4:]
		if strings.ContainsAny(k.APIKey[:4], "+/") {
			continue // keep the first characters plain, so prefixes in tests read as words
		}
		ok := looksRandom([]byte(k.APIKey)) && looksRandom([]byte(k.PrivateKey))
		for _, c := range want {
			ok = ok && strings.ContainsRune(k.APIKey, c) && strings.ContainsRune(k.PrivateKey, c)
		}
		if ok {
			return k
		}
	}
}

// write creates a file under dir with the text, making its folders.
func write(t testing.TB, dir, rel, text string) string {
	return testfiles.Write(t, dir, rel, text, 0o644)
}

// sweepDir sweeps dir for keys with a time limit, so a test that would
// block (on a FIFO) fails instead.
func sweepDir(t testing.TB, opt Options) *Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rep, err := Run(ctx, opt)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

// leaks returns which of the keys' values text holds, in any form a
// careless encoder would write them, or a half of them.
func leaks(text string, keys ...Key) []string {
	var found []string
	for _, k := range keys {
		for what, v := range map[string]string{"API key of " + k.Name: k.APIKey, "private key of " + k.Name: k.PrivateKey} {
			core := strings.TrimRight(v, "=")
			for _, form := range []string{core, strings.ReplaceAll(core, "/", `\/`), strings.ReplaceAll(core, "/", `%2F`), core[:len(core)/2], core[len(core)/2:], core[:8], core[len(core)-8:]} {
				if strings.Contains(text, form) {
					found = append(found, what)
					break
				}
			}
		}
	}
	return found
}

// assertNoLeak fails when the report, as JSON, as %v and %+v, or its
// next steps hold any of the keys' values.
func assertNoLeak(t testing.TB, rep *Report, keys ...Key) {
	t.Helper()
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b) + fmt.Sprintf("%v %+v %#v", rep, *rep, rep.Hits)
	for _, h := range rep.Hits {
		text += h.Where() + h.What() + h.Next + SuggestName(h)
	}
	if l := leaks(text, keys...); len(l) > 0 {
		t.Errorf("the report shows %v", l)
	}
}

// git runs git in dir with a private configuration.
func git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// needGit skips the test when git is not installed.
func needGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
}

// hitsAt returns the hits whose path ends with suffix (slash separated).
func hitsAt(rep *Report, suffix string) []Hit {
	var out []Hit
	for _, h := range rep.Hits {
		if strings.HasSuffix(filepath.ToSlash(h.Path), suffix) {
			out = append(out, h)
		}
	}
	return out
}

// describe lists hits for failure messages (never a secret).
func describe(hits []Hit) string {
	var b strings.Builder
	for _, h := range hits {
		fmt.Fprintf(&b, "  %s: %s [%s %s field=%q prog=%q]\n", h.Where(), h.What(), h.Place, h.Form, h.Field, h.Program)
	}
	return b.String()
}
