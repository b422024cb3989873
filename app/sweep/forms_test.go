package sweep

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The forms of a copy issue 21 found missed: each is a fixture here.

// storedHit returns the stored hit of the part in doc, or fails.
func storedHit(t *testing.T, k Key, doc string, part Part) Hit {
	t.Helper()
	sc := scanner{m: newMatcher([]Key{k})}
	hits := docHits([]byte(doc), sc.scan([]byte(doc)), []Key{k})
	for _, h := range hits {
		if h.Kind == KindStored && h.Part == part {
			return h
		}
	}
	t.Fatalf("no %s found; hits:\n%s", part, describe(hits))
	return Hit{}
}

func TestScanner_FindsWrappedKeys(t *testing.T) {
	k := newKey(t, "k", "")
	priv := k.PrivateKey
	tests := []struct {
		name, doc string
		line      int
		field     string
	}{
		{"44 + 44 on two indented lines of a Markdown note", "# Kraken\n\n- bot key:\n    " + priv[:44] + "\n    " + priv[44:] + "\n", 4, ""},
		{"under a name, the rest indented to it", "secret: " + priv[:40] + "\n        " + priv[40:] + "\n", 1, "secret"},
		{"not indented", "x\n" + priv[:60] + "\n" + priv[60:] + "\n", 2, ""},
		{"Windows line ends and tabs", "x\r\n\t" + priv[:30] + "\r\n\t" + priv[30:] + "\r\n", 2, ""},
		{"three lines", priv[:30] + "\n  " + priv[30:60] + "\n  " + priv[60:] + "\n", 1, ""},
		{"padding gone, the last piece short", priv[:80] + "\n" + strings.TrimRight(priv[80:], "=") + "\n", 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := storedHit(t, k, tt.doc, PartPrivateKey)
			if h.Form != FormWrapped || h.Line != tt.line || h.Field != tt.field {
				t.Errorf("form %s line %d field %q, want %s %d %q", h.Form, h.Line, h.Field, FormWrapped, tt.line, tt.field)
			}
		})
	}
}

// A wrapped value is only ever a stored key's: pieces of random text are
// never joined into a key not in the vault.
func TestScanner_WrappedPiecesAreNotUnknownKeys(t *testing.T) {
	other := newKey(t, "other", "")
	doc := []byte("# kraken\nsecret: " + other.PrivateKey[:44] + "\n        " + other.PrivateKey[44:] + "\napi key: " + other.APIKey[:28] + "\n  " + other.APIKey[28:] + "\n")
	sc := scanner{m: newMatcher([]Key{newKey(t, "k", "")})}
	if hits := docHits(doc, sc.scan(doc), nil); len(hits) > 0 {
		t.Errorf("hits:\n%s", describe(hits))
	}
}

func TestScanner_FindsBase64Copies(t *testing.T) {
	k := newKey(t, "k", "")
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	secret := "apiVersion: v1\nkind: Secret\nmetadata:\n  name: grid-bot\ntype: Opaque\ndata:\n  KRAKEN_API_KEY: " + b64(k.APIKey) + "\n  KRAKEN_API_SECRET: " + b64(k.PrivateKey) + "\n"
	if n := len(b64(k.APIKey)); n != 76 {
		t.Fatalf("the API key encodes to %d characters, want 76", n)
	}
	if n := len(b64(k.PrivateKey)); n != 120 {
		t.Fatalf("the private key encodes to %d characters, want 120", n)
	}
	// `base64` wraps at 76 columns; a whole .env encoded puts the values
	// at any place in a base64 group.
	env := "KRAKEN_API_KEY=" + k.APIKey + "\nKRAKEN_API_SECRET=" + k.PrivateKey + "\n"
	var wrapped strings.Builder
	for s := b64(env); len(s) > 0; s = s[min(76, len(s)):] {
		wrapped.WriteString(s[:min(76, len(s))] + "\n")
	}
	tests := []struct {
		name, doc string
		part      Part
		form      Form
		field     string
	}{
		{"a Kubernetes Secret's API key", secret, PartAPIKey, FormBase64, "KRAKEN_API_KEY"},
		{"a Kubernetes Secret's private key", secret, PartPrivateKey, FormBase64, "KRAKEN_API_SECRET"},
		{"a .env encoded whole, wrapped at 76: the API key", wrapped.String(), PartAPIKey, "", ""},
		{"a .env encoded whole, wrapped at 76: the private key", wrapped.String(), PartPrivateKey, "", ""},
		{"with a line break encoded too (echo | base64)", "value: " + b64(k.PrivateKey+"\n"), PartPrivateKey, FormBase64, "value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := storedHit(t, k, tt.doc, tt.part)
			if tt.form != "" && (h.Form != tt.form || h.Field != tt.field) {
				t.Errorf("form %s field %q, want %s %q", h.Form, h.Field, tt.form, tt.field)
			}
		})
	}
}

func TestScanner_FindsPrivateKeyAsHex(t *testing.T) {
	k := newKey(t, "k", "")
	raw, err := base64.StdEncoding.DecodeString(k.PrivateKey)
	if err != nil || len(raw) != 64 {
		t.Fatalf("decode: %v, %d bytes", err, len(raw))
	}
	h := hex.EncodeToString(raw)
	for name, doc := range map[string]string{
		"lower case in a debug log": "2026-12-01 10:00:01 DEBUG signing with secret bytes " + h + "\n",
		"upper case":                "SECRET=" + strings.ToUpper(h),
		"wrapped at 64":             "key:\n  " + h[:64] + "\n  " + h[64:] + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			if len(h) != 128 {
				t.Fatalf("%d hex characters", len(h))
			}
			storedHit(t, k, doc, PartPrivateKey)
		})
	}
}

// Encodings are exact too: another key's base64 or hex is no copy.
func TestScanner_OtherKeysEncodedAreNotCopies(t *testing.T) {
	k, other := newKey(t, "k", ""), newKey(t, "other", "")
	raw, _ := base64.StdEncoding.DecodeString(other.PrivateKey)
	doc := []byte(base64.StdEncoding.EncodeToString([]byte(other.APIKey)) + "\n" + base64.StdEncoding.EncodeToString([]byte(other.PrivateKey)) + "\n" + hex.EncodeToString(raw) + "\n")
	sc := scanner{m: newMatcher([]Key{k})}
	for _, h := range docHits(doc, sc.scan(doc), []Key{k}) {
		t.Errorf("found %s", h.What())
	}
}

// gz packs text as gzip does.
func gz(t testing.TB, text string) string {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(text)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestRun_FindsCopiesInGzipFiles(t *testing.T) {
	k := newKey(t, "grid-bot", "")
	dir := t.TempDir()
	p := write(t, dir, "logs/bot.log.1.gz", gz(t, "10:00 start\n10:01 loaded key "+k.APIKey+"\n10:02 ok\n"))
	write(t, dir, "logs/other.gz", gz(t, "nothing here\n"))
	write(t, dir, "logs/archive.tar.gz", gz(t, "name\x00\x00\x00"+k.PrivateKey))
	write(t, dir, "logs/broken.gz", "\x1f\x8b\x08\x00broken")
	rep := sweepDir(t, Options{Roots: []string{dir}, Keys: []Key{k}})
	assertNoLeak(t, rep, k)
	if len(rep.Hits) != 1 {
		t.Fatalf("hits:\n%s", describe(rep.Hits))
	}
	h := rep.Hits[0]
	if h.Path != p || h.Line != 2 || h.Packed != PackedGzip || h.Part != PartAPIKey {
		t.Errorf("hit %s: %s packed %q", h.Where(), h.What(), h.Packed)
	}
	if want := p + ", line 2 once unpacked (gzip)"; h.Where() != want {
		t.Errorf("Where = %q, want %q", h.Where(), want)
	}
	if !strings.Contains(h.Next, "compressed file "+p) {
		t.Errorf("next step %q", h.Next)
	}
	// The text inside a gzip file is counted as read, not as binary; a
	// packed binary (a tar) is binary; a damaged one unreadable, named.
	if rep.Packed != 3 || rep.Binary != 1 || rep.Unreadable != 1 || rep.UnreadablePaths[0] != filepath.Join(dir, "logs", "broken.gz") {
		t.Errorf("packed %d binary %d unreadable %d %q", rep.Packed, rep.Binary, rep.Unreadable, rep.UnreadablePaths)
	}
}

// withChunk makes streamed files be scanned in chunks of n bytes.
func withChunk(t *testing.T, n int) {
	t.Helper()
	old := streamChunk
	streamChunk = n
	t.Cleanup(func() { streamChunk = old })
}

// logLines writes lines of a log until the text is at least n bytes.
func logLines(b *strings.Builder, n int) {
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(b, "2026-12-01 10:%02d:%02d INFO order %d filled at 42%03d.5\n", i/60%60, i%60, i, i%1000)
	}
}

func TestRun_StreamsFilesOverTheSizeLimit(t *testing.T) {
	withChunk(t, 64<<10)
	k := newKey(t, "k", "")
	unknown := newKey(t, "unknown", "")
	var b strings.Builder
	b.WriteString("kraken bot log\n")
	logLines(&b, 1000)
	b.WriteString("loaded api_key " + k.APIKey + "\n") // at about byte 1 000
	keyLine := strings.Count(b.String(), "\n")
	// A pair across the first chunks' boundary, and the private key at
	// the end, after many chunks.
	logLines(&b, 64<<10-100)
	b.WriteString("KRAKEN_API_KEY=" + unknown.APIKey + "\n")
	apiLine := strings.Count(b.String(), "\n")
	logLines(&b, 64<<10+50)
	b.WriteString("KRAKEN_API_SECRET=" + unknown.PrivateKey + "\n")
	privLine := strings.Count(b.String(), "\n")
	logLines(&b, 1<<20)
	b.WriteString("secret " + k.PrivateKey)
	lastLine := strings.Count(b.String(), "\n") + 1
	dir := t.TempDir()
	p := write(t, dir, "bot.log", b.String())
	write(t, dir, "bot.log.2.gz", gz(t, b.String()))
	rep := sweepDir(t, Options{Roots: []string{dir}, Keys: []Key{k}, MaxFileSize: 4096})
	assertNoLeak(t, rep, k, unknown)
	for _, f := range []string{p, p + ".2.gz"} {
		var got []string
		for _, h := range rep.Hits {
			if h.Path == f {
				got = append(got, fmt.Sprintf("%s %d/%d", h.Part, h.Line, h.PrivateLine))
			}
		}
		want := []string{fmt.Sprintf("api-key %d/0", keyLine), fmt.Sprintf("pair %d/%d", apiLine, privLine), fmt.Sprintf("private-key %d/0", lastLine)}
		if strings.Join(got, ", ") != strings.Join(want, ", ") {
			t.Errorf("%s: hits %q, want %q", filepath.Base(f), got, want)
		}
	}
	if rep.Large != 2 || rep.Packed != 1 || rep.TooBig != 0 || rep.Files != 2 {
		t.Errorf("large %d packed %d too big %d files %d", rep.Large, rep.Packed, rep.TooBig, rep.Files)
	}
}

// A long line (no line break for a chunk and more) is cut between
// chunks with an overlap, so a key across the cut is found whole.
func TestRun_StreamsOneLongLine(t *testing.T) {
	withChunk(t, 4096)
	k := newKey(t, "k", "")
	for _, at := range []int{4096 - 30, 2*4096 - 60, 100 << 10} {
		line := strings.Repeat("word ", at/5) + k.PrivateKey + strings.Repeat(" word", 40000)
		dir := t.TempDir()
		write(t, dir, "one-line.json", line)
		rep := sweepDir(t, Options{Roots: []string{dir}, Keys: []Key{k}, MaxFileSize: 1024})
		if len(rep.Hits) != 1 || rep.Hits[0].Line != 1 {
			t.Errorf("key at byte %d: hits:\n%s", at, describe(rep.Hits))
		}
	}
}

// The time a large file may take is bounded: a file not read to the end
// in time is counted and named, with what was found in the part read.
func TestRun_LargeFileTimeIsBounded(t *testing.T) {
	withChunk(t, 64<<10)
	k := newKey(t, "k", "")
	var b strings.Builder
	logLines(&b, 1000)
	b.WriteString("api_key " + k.APIKey + "\n")
	logLines(&b, 1<<20)
	b.WriteString("secret " + k.PrivateKey + "\n")
	dir := t.TempDir()
	p := write(t, dir, "huge.log", b.String())
	// A deadline already passed when the first chunk is scanned: the
	// first chunk only.
	rep := sweepDir(t, Options{Roots: []string{dir}, Keys: []Key{k}, MaxFileSize: 4096, LargeFileTime: 1})
	if len(rep.Hits) != 1 || rep.Hits[0].Part != PartAPIKey {
		t.Errorf("hits:\n%s", describe(rep.Hits))
	}
	if rep.TooBig != 1 || len(rep.TooBigPaths) != 1 || !strings.HasPrefix(rep.TooBigPaths[0], p+" (") {
		t.Errorf("too big %d %q", rep.TooBig, rep.TooBigPaths)
	}
}

func TestRun_LargeBinaryFileIsBinary(t *testing.T) {
	k := newKey(t, "k", "")
	dir := t.TempDir()
	write(t, dir, "disk.img", "\x00\x01"+strings.Repeat("x", 10000)+k.APIKey)
	rep := sweepDir(t, Options{Roots: []string{dir}, Keys: []Key{k}, MaxFileSize: 4096})
	if len(rep.Hits) != 0 || rep.Binary != 1 || rep.Large != 1 {
		t.Errorf("binary %d large %d hits:\n%s", rep.Binary, rep.Large, describe(rep.Hits))
	}
}

// A FIFO in a large file's place is not waited on.
func TestOpenRegular_RefusesSpecialFiles(t *testing.T) {
	f, kind, err := openRegular(os.DevNull)
	if err != nil || kind != kindSpecial || f != nil {
		t.Errorf("openRegular(%s) = %v, %v, %v", os.DevNull, f, kind, err)
	}
}

// Issue 21: for a curl line in a shell history the sweep suggested
// "keywarden exec grid-bot --secret-env KRAKEN_SECRET -- curl -X POST -H":
// a command cut off, with a variable named on another line. Only what
// runs as shown is suggested now.
func TestRun_HistorySuggestsOnlyWhatRuns(t *testing.T) {
	k := newKey(t, "grid-bot", "")
	dir := t.TempDir()
	hist := write(t, dir, ".bash_history", "export KRAKEN_SECRET="+k.PrivateKey+"\n"+
		`curl -X POST -H "API-Key: `+k.APIKey+`" -H "API-Sign: $SIG" -d "nonce=1" https://api.kraken.com/0/private/Balance`+"\n"+
		"KRAKEN_API_KEY="+k.APIKey+" python3 grid.py --pair XBTEUR\n")
	rep := sweepDir(t, Options{Roots: []string{dir}, Keys: []Key{k}})
	assertNoLeak(t, rep, k)
	want := map[int][]string{
		1: {"Delete line 1 of " + hist, "keywarden exec grid-bot --secret-env KRAKEN_SECRET -- YOUR-PROGRAM"},
		2: {"Delete line 2 of " + hist + ": the key is written into the command line on it", "keywarden exec grid-bot -- (it sets"},
		3: {"Delete line 3 of " + hist, "keywarden exec grid-bot -- python3 grid.py --pair XBTEUR"},
	}
	if len(rep.Hits) != 3 {
		t.Fatalf("hits:\n%s", describe(rep.Hits))
	}
	for _, h := range rep.Hits {
		for _, w := range want[h.Line] {
			if !strings.Contains(h.Next, w) {
				t.Errorf("line %d: next step %q lacks %q", h.Line, h.Next, w)
			}
		}
		if h.Line != 1 && strings.Contains(h.Next, "--secret-env") {
			t.Errorf("line %d: next step %q names a variable of another line", h.Line, h.Next)
		}
		if strings.Contains(h.Next, "-- curl") {
			t.Errorf("line %d: next step %q suggests half a command", h.Line, h.Next)
		}
	}
}

// Issue 21's wrong guesses, swept as files: the exchange's published
// example keys in a test, and a request ID above a signature in a file
// that has nothing to do with Kraken, are no keys.
func TestRun_NoGuesses(t *testing.T) {
	r := newKey(t, "random", "")
	dir := t.TempDir()
	write(t, dir, "tests/test_kraken_auth.py", "import krakenex\n\ndef test_sign():\n    api_key = \""+docAPI+"\"\n    secret = \""+docPriv+"\"\n    assert sign(api_key, secret)\n")
	write(t, dir, "docs/auth.md", "Kraken's example private key `"+docPriv+"` signs …\n")
	write(t, dir, "payments/webhook_test.json", `{"event": "charge.succeeded",`+"\n"+`  "request_id": "`+r.APIKey+`",`+"\n"+`  "signature": "`+r.PrivateKey+`"}`+"\n")
	rep := sweepDir(t, Options{Roots: []string{dir}})
	if len(rep.Hits) != 0 {
		t.Errorf("hits:\n%s", describe(rep.Hits))
	}
}

// Read as a stream, in chunks of any size, a file gives the same hits as
// read whole: no copy or pair is lost or doubled at a chunk's edge.
func TestRun_StreamedHitsAreTheWholeFilesHits(t *testing.T) {
	k := newKey(t, "k", "/+")
	unknown := newKey(t, "unknown", "")
	raw, _ := base64.StdEncoding.DecodeString(k.PrivateKey)
	var b strings.Builder
	b.WriteString("# kraken bot\n")
	for i := range 40 {
		logLines(&b, b.Len()+700+i*37)
		switch i % 5 {
		case 0:
			b.WriteString("key=" + k.APIKey + "\n")
		case 1:
			b.WriteString("  secret: " + k.PrivateKey[:44] + "\n          " + k.PrivateKey[44:] + "\n")
		case 2:
			b.WriteString("data: " + base64.StdEncoding.EncodeToString([]byte(k.PrivateKey)) + "\n")
		case 3:
			b.WriteString("hex " + hex.EncodeToString(raw) + "\n")
		case 4:
			b.WriteString("KRAKEN_API_KEY=" + unknown.APIKey + "\n\nKRAKEN_API_SECRET=" + unknown.PrivateKey + "\n")
		}
	}
	dir := t.TempDir()
	write(t, dir, "bot.log", b.String())
	whole := describe(sweepDir(t, Options{Roots: []string{dir}, Keys: []Key{k}}).Hits)
	if n := strings.Count(whole, "\n"); n != 40 {
		t.Fatalf("read whole: %d hits, want 40:\n%s", n, whole)
	}
	for _, chunk := range []int{1000, 4096, 5003, 12345} {
		withChunk(t, chunk)
		if got := describe(sweepDir(t, Options{Roots: []string{dir}, Keys: []Key{k}, MaxFileSize: 512}).Hits); got != whole {
			t.Errorf("chunks of %d bytes:\n%s\nwant:\n%s", chunk, got, whole)
		}
	}
}
