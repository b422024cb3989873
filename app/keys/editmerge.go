package keys

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// EditOf returns the edit that leaves r as it is: what an edit dialog
// starts from, and what it passes back as Edit.From.
func EditOf(r vault.Record) Edit {
	return Edit{Name: r.Name, Account: r.Account, Notes: r.Notes, UsedBy: slices.Clone(r.UsedBy),
		ReviewDays: r.ReviewDays, Parked: r.Status == vault.StatusParked,
		Purpose: r.Purpose, Intended: slices.Clone(r.Intended)}
}

// EditConflictError says an edit was not saved because, while the person
// edited, another window or process changed the same fields (Fields, in
// words) to something else. Record is the key as it is now.
type EditConflictError struct {
	Record vault.Record
	Fields []string
}

func (e *EditConflictError) Error() string {
	return fmt.Sprintf("keys: edit %s: changed meanwhile: %s", e.Record.ID, strings.Join(e.Fields, ", "))
}

// editField is one field of an Edit, for the three-way merge.
type editField struct {
	name string // in words, for EditConflictError
	get  func(*Edit) any
	set  func(dst, src *Edit)
}

var editFields = []editField{
	{"name", func(e *Edit) any { return strings.TrimSpace(e.Name) }, func(d, s *Edit) { d.Name = s.Name }},
	{"account", func(e *Edit) any { return strings.TrimSpace(e.Account) }, func(d, s *Edit) { d.Account = s.Account }},
	{"notes", func(e *Edit) any { return strings.TrimSpace(e.Notes) }, func(d, s *Edit) { d.Notes = s.Notes }},
	{"services", func(e *Edit) any { return cleanServices(e.UsedBy) }, func(d, s *Edit) { d.UsedBy = s.UsedBy }},
	{"review interval", func(e *Edit) any { return e.ReviewDays }, func(d, s *Edit) { d.ReviewDays = s.ReviewDays }},
	{"status", func(e *Edit) any { return e.Parked }, func(d, s *Edit) { d.Parked = s.Parked }},
	{"purpose", func(e *Edit) any { return e.Purpose }, func(d, s *Edit) { d.Purpose = s.Purpose }},
	{"intended permissions", func(e *Edit) any { return kraken.SortPermissions(e.Intended) }, func(d, s *Edit) { d.Intended = s.Intended }},
}

// keepingEmpty fills an empty purpose or permission list from From, so
// "keep the key's" is not taken for a change by the merge (onto).
func (e Edit) keepingEmpty() Edit {
	if e.From == nil {
		return e
	}
	if e.Purpose == "" {
		e.Purpose = e.From.Purpose
	}
	if e.Intended == nil {
		e.Intended = e.From.Intended
	}
	return e
}

// EditError is an edit that was refused; Msg says why in plain words.
type EditError struct{ Msg string }

func (e *EditError) Error() string { return e.Msg }

// checkIntended refuses a permission code the catalogue does not know,
// unless r has it already (the exchange may add codes Keywarden does not
// know yet; those are kept, never added by hand).
func checkIntended(perms []kraken.Permission, r vault.Record) error {
	if perms != nil && len(perms) == 0 && len(r.Intended) > 0 {
		return &EditError{Msg: "Tick at least one permission: the ones the programs that use the key need."}
	}
	for _, p := range perms {
		if !p.Known() && !slices.Contains(r.Intended, p) {
			return &EditError{Msg: "That permission is not one Kraken offers; untick it and save again."}
		}
	}
	return nil
}

// declaredChange is the history note of an edit that changes the purpose
// or the intended permissions, so a later look can tell when what the key
// is compared with changed; "" for other edits.
func declaredChange(r vault.Record, e Edit) string {
	var parts []string
	if e.Purpose != "" && e.Purpose != r.Purpose {
		parts = append(parts, "purpose: "+r.Purpose.Label()+" → "+e.Purpose.Label())
	}
	if e.Intended != nil && !slices.Equal(kraken.SortPermissions(e.Intended), kraken.SortPermissions(r.Intended)) {
		parts = append(parts, "intended permissions: "+permCodes(r.Intended)+" → "+permCodes(e.Intended))
	}
	return strings.Join(parts, "; ")
}

// permCodes lists permissions by their codes, in the website's order.
func permCodes(perms []kraken.Permission) string {
	var out []string
	for _, p := range kraken.SortPermissions(perms) {
		out = append(out, string(p))
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

// onto returns the edit to apply to cur, the record as it is now. Without
// From every field of e applies. With it, only the fields e changed from
// From do; the others keep what cur holds, so a change another process
// made meanwhile is not undone from the dialog's old copy. A field changed
// both here and, to something else, there is a conflict: nothing is saved.
func (e Edit) onto(cur vault.Record) (Edit, error) {
	if e.From == nil {
		return e, nil
	}
	base, now := *e.From, EditOf(cur)
	out := now
	var clash []string
	for _, f := range editFields {
		mine, was, theirs := f.get(&e), f.get(&base), f.get(&now)
		switch {
		case reflect.DeepEqual(mine, was): // not changed in this edit: keep the record's
		case reflect.DeepEqual(theirs, was) || reflect.DeepEqual(theirs, mine):
			f.set(&out, &e)
		default:
			clash = append(clash, f.name)
		}
	}
	if len(clash) > 0 {
		return Edit{}, &EditConflictError{Record: cur, Fields: clash}
	}
	return out, nil
}
