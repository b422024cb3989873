package sweep

import "fmt"

// Kind tells a copy of a stored key from a key Keywarden does not hold.
type Kind string

// The kinds of hits.
const (
	KindStored  Kind = "stored"  // a copy of a key in the vault
	KindUnknown Kind = "unknown" // a Kraken-shaped key that is not in the vault
)

// Part says which half of a key pair a hit holds.
type Part string

// The parts of a key pair.
const (
	PartAPIKey     Part = "api-key"
	PartPrivateKey Part = "private-key"
	PartPair       Part = "pair" // both, for a key not in the vault
)

// Words names the part in plain words.
func (p Part) Words() string {
	switch p {
	case PartAPIKey:
		return "API key"
	case PartPrivateKey:
		return "private key"
	}
	return "API key and private key"
}

// Form is how the value was written.
type Form string

// The forms a value is found in. Quotes and KEY=value lines are plain: the
// name the value is given to is in Hit.Field.
const (
	FormPlain       Form = "plain"
	FormJSONEscaped Form = "json-escaped" // "\/" or "\u002f" for "/"
	FormURLEncoded  Form = "url-encoded"  // "%2F", "%2B", "%3D"
	// FormWrapped is a value cut over two or more lines (a note wrapped
	// at a width, a base64 tool's 76 columns), indented or not.
	FormWrapped Form = "wrapped"
	// FormBase64 is the value's text encoded as base64 again (a
	// Kubernetes Secret's data:).
	FormBase64 Form = "base64"
	// FormHex is the bytes the value stands for, written as hex (a debug
	// log of the private key's 64 bytes).
	FormHex Form = "hex"
)

// PackedGzip is Hit.Packed for a copy inside a gzip file.
const PackedGzip = "gzip"

// Place is the kind of place a copy sits in.
type Place string

// The places the sweep tells apart.
const (
	PlaceHistory    Place = "shell-history"
	PlaceEnvFile    Place = "env-file"
	PlaceBotConfig  Place = "bot-config"
	PlaceConfig     Place = "config" // a dotfile or a file in a hidden folder (~/.config, …)
	PlaceGitHistory Place = "git-history"
	PlaceOther      Place = "file"
)

// KeyRef names a stored key.
type KeyRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// GitOrigin says where in a repository's history a copy sits.
type GitOrigin struct {
	// Repo is the repository's folder.
	Repo string `json:"repo"`
	// Object is the git object holding the copy (a file's content, a
	// commit message or a tag).
	Object     string `json:"object"`
	ObjectType string `json:"objectType"`
	// Commit is the commit that added the copy, "" when no branch, tag,
	// stash or reflog entry reaches the object any more.
	Commit string `json:"commit,omitempty"`
	// Path is the file in that commit, "" for a commit message or a tag.
	Path string `json:"path,omitempty"`
	// Remotes lists the remote-tracking branches that contain Commit: the
	// copy was pushed there.
	Remotes []string `json:"remotes,omitempty"`
}

// Pushed reports whether the commit with the copy was pushed: a
// remote-tracking branch contains it.
func (g *GitOrigin) Pushed() bool { return g != nil && len(g.Remotes) > 0 }

// Hit is one copy found. It never holds a secret in an exported field, so
// it can be printed and encoded as JSON as it is; Pair hands an unknown
// key's values to the Import flow.
type Hit struct {
	// Path is the file holding the copy; for a copy in a git history, the
	// repository's folder (Git says where in it).
	Path string `json:"path"`
	// Line is the line of the copy, from 1 (for a pair: the API key's).
	Line int  `json:"line"`
	Kind Kind `json:"kind"`
	Part Part `json:"part"`
	// Key is the stored key, for KindStored.
	Key *KeyRef `json:"key,omitempty"`
	// Unknown numbers the keys not in the vault (1, 2, …) so copies of
	// the same one can be told apart from others; 0 for stored keys.
	Unknown int `json:"unknown,omitempty"`
	// Maybe is a stored key whose secret could not be read and whose API
	// key ends like this unknown one: probably the same key.
	Maybe *KeyRef `json:"maybe,omitempty"`
	// Hint is the API key's last four characters, for a key not in the
	// vault (the most of a key Keywarden ever shows).
	Hint string `json:"hint,omitempty"`
	// PrivateLine is the private key's line, for a pair.
	PrivateLine int  `json:"privateLine,omitempty"`
	Form        Form `json:"form"`
	// Field is the name the value is given to on its line
	// ("KRAKEN_API_SECRET", "secret", "--api-key"), if any.
	Field string `json:"field,omitempty"`
	Place Place  `json:"place"`
	// Packed names the compression of the file the copy was found in
	// once unpacked (PackedGzip: a rotated log, bot.log.1.gz); "" for a
	// plain file. Line is then a line of the unpacked text.
	Packed string `json:"packed,omitempty"`
	// Program is the program the file belongs to, when the sweep can tell
	// ("freqtrade", "hummingbot", "octobot").
	Program string `json:"program,omitempty"`
	// Command is the command a shell-history line ran, without the
	// assignments before it, when every word of it can be shown and run
	// as it is (no key, quote or pipe in it); "" otherwise.
	Command string     `json:"command,omitempty"`
	Git     *GitOrigin `json:"git,omitempty"`
	// Next is the next step in plain words.
	Next string `json:"next"`

	// fields lists the names given to the key's API key and private key
	// in the same file, for the exec command of the next step.
	keyField, secretField string
	// keyInCommand: the shell-history line runs a program with the key
	// (or another word that cannot be shown) among its words.
	keyInCommand bool
	pair         *secretPair
	root         string // the swept folder the file was found under
}

// secretPair holds a found key's values in memory. A pointer, so that a
// stray %v of a Hit prints an address, not the values.
type secretPair struct {
	apiKey, privateKey string
}

// Pair returns the values of a key not in the vault, for the Import flow;
// ok is false for a stored key's hit. Either value is "" when only the
// other was found. Never print them.
func (h Hit) Pair() (apiKey, privateKey string, ok bool) {
	if h.pair == nil {
		return "", "", false
	}
	return h.pair.apiKey, h.pair.privateKey, true
}

// Where says where the copy is, in a few words: "file, line 3" or "git
// history of repo, commit 1a2b3c4d5e6f (config.json, line 3)".
func (h Hit) Where() string {
	if h.Git == nil && h.Packed != "" {
		return fmt.Sprintf("%s, line %d once unpacked (%s)", h.Path, h.Line, h.Packed)
	}
	if h.Git == nil {
		return fmt.Sprintf("%s, line %d", h.Path, h.Line)
	}
	g := h.Git
	switch {
	case g.Commit == "":
		return fmt.Sprintf("git history of %s, object %s that no commit reaches any more (line %d)", h.Path, short(g.Object), h.Line)
	case g.Path == "":
		return fmt.Sprintf("git history of %s, %s %s (line %d)", h.Path, msgWord(g.ObjectType), short(g.Commit), h.Line)
	}
	return fmt.Sprintf("git history of %s, commit %s (%s, line %d)", h.Path, short(g.Commit), g.Path, h.Line)
}

func msgWord(objectType string) string {
	if objectType == "tag" {
		return "the message of tag"
	}
	return "the message of commit"
}

// short shortens an object name the way git shows it.
func short(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// What says what was found, in a few words: `private key of "bot"` or
// `a key not in Keywarden (API key …AbCd and private key)`.
func (h Hit) What() string {
	if h.Kind == KindStored && h.Key != nil {
		return fmt.Sprintf("%s of %q", h.Part.Words(), h.Key.Name)
	}
	s := fmt.Sprintf("key #%d not in Keywarden (%s", h.Unknown, h.Part.Words())
	if h.Hint != "" {
		s += ", API key ending " + h.Hint
	}
	s += ")"
	if h.Maybe != nil {
		s += fmt.Sprintf(", probably %q", h.Maybe.Name)
	}
	return s
}
