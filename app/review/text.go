package review

import (
	"fmt"
	"strings"
	"time"

	"github.com/keywarden/keywarden/kraken"
)

// permLabel names a permission the way the website shows it.
func permLabel(p kraken.Permission) string {
	if info, ok := p.Info(); ok {
		return info.Group + " – " + info.Label
	}
	return fmt.Sprintf("%q (a permission Keywarden does not know)", string(p))
}

// permList names permissions in plain words: "A, B and C".
func permList(perms []kraken.Permission) string {
	labels := make([]string, len(perms))
	for i, p := range perms {
		labels[i] = permLabel(p)
	}
	return andList(labels)
}

// andList joins words as "a", "a and b" or "a, b and c".
func andList(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// date formats a day for people, in UTC so every face shows the same.
func date(t time.Time) string { return t.UTC().Format("2 Jan 2006") }

// dateTime formats a moment for people, in UTC.
func dateTime(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04:05 UTC") }

// days formats a whole number of days.
func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// daysUntil returns how many started days lie between now and t (1 for
// anything up to 24 hours ahead).
func daysUntil(now, t time.Time) int {
	d := t.Sub(now)
	n := int(d / day)
	if d%day > 0 {
		n++
	}
	return n
}

// keyName quotes a record's name inside a sentence.
func keyName(name string) string {
	if strings.TrimSpace(name) == "" {
		return "this key"
	}
	return "“" + name + "”"
}

// keyNameStart quotes a record's name at the start of a sentence.
func keyNameStart(name string) string {
	if strings.TrimSpace(name) == "" {
		return "A key"
	}
	return "Key “" + name + "”"
}

// lowerFirst lower-cases the first letter of a sentence fragment (ASCII).
func lowerFirst(s string) string {
	if s != "" && s[0] >= 'A' && s[0] <= 'Z' {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}
