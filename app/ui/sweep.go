package ui

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/sweep"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// viewSweep is the Find copies screen.
const viewSweep view = 200

// sweepScreen is "Find copies": it sweeps the home folder (or a folder
// chosen) for plain-text copies of the stored keys and for Kraken keys not
// in Keywarden, shows them grouped by file with the next step, and imports
// the keys not in Keywarden (keys.Import). The sweep runs off the UI
// goroutine; its progress comes back through fyne.Do.
type sweepScreen struct {
	mw sweepHost
	// roots are the folders swept; empty means the home folder.
	roots []string

	back, run, pick, cancel *widget.Button
	progress                *widget.Label
	results                 *fyne.Container
	scroll                  *container.Scroll
	content                 fyne.CanvasObject

	stop    context.CancelFunc // ends the sweep running, nil when none
	rep     *sweep.Report
	took    time.Duration // the last sweep's own time, without the keyring's
	looked  int
	skipped []string
	// imported maps a found key's number (Hit.Unknown) to the name it was
	// imported as; cleaned lists the files whose copy was removed.
	imported map[int]string
	cleaned  map[string]string // file → backup
	// spent are Keywarden's backups this sweep shows are no longer
	// needed (keys.SpentBackups): they hold a key, so they are offered
	// for deletion.
	spent []keys.Backup

	// importer is the import dialog last opened, kept for tests.
	importer *importDialog
}

// showSweep shows the Find copies screen, with the results of the last
// sweep if there was one.
func (mw *mainWindow) showSweep() {
	if mw.sweeper == nil {
		mw.sweeper = newSweepScreen(mw)
	}
	mw.show(viewSweep, "", mw.sweeper.content)
}

func newSweepScreen(mw sweepHost) *sweepScreen {
	s := &sweepScreen{mw: mw, imported: map[int]string{}, cleaned: map[string]string{}}
	s.back = widget.NewButtonWithIcon("Keys", theme.NavigateBackIcon(), mw.showList)
	s.run = widget.NewButtonWithIcon("Sweep my home folder", theme.SearchIcon(), func() { s.start(nil) })
	s.run.Importance = widget.HighImportance
	s.pick = widget.NewButtonWithIcon("Sweep a folder…", theme.FolderOpenIcon(), s.onPick)
	s.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), s.onCancel)
	s.cancel.Hide()
	s.progress = newWrapped("Keywarden looks through your files, and the history of your git repositories, for plain-text copies of your keys and for Kraken keys it does not hold yet. It reads your stored keys from the system keyring to know them; nothing leaves this computer.")
	s.results = container.NewVBox()
	s.scroll = container.NewVScroll(s.results)
	top := container.NewVBox(
		container.NewBorder(nil, nil, s.back, nil, newHeading("Find copies")),
		container.NewHBox(s.run, s.pick, s.cancel),
		s.progress,
		widget.NewSeparator(),
	)
	s.content = container.NewBorder(top, nil, nil, nil, s.scroll)
	return s
}

// home returns the folder swept by default.
func (s *sweepScreen) home() []string {
	if len(s.roots) > 0 {
		return s.roots
	}
	h, err := os.UserHomeDir()
	if err != nil {
		return nil
	}
	return []string{h}
}

func (s *sweepScreen) onPick() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		s.start([]string{u.Path()})
	}, s.mw.window())
	d.Show()
}

func (s *sweepScreen) onCancel() {
	if s.stop != nil {
		s.stop()
		s.progress.SetText("Stopping…")
	}
}

// sweepDone is what a sweep run hands back to the UI goroutine.
type sweepDone struct {
	rep     *sweep.Report
	err     error
	looked  int
	skipped []string
	took    time.Duration
	spent   []keys.Backup
}

// start sweeps roots (nil: the home folder) off the UI goroutine.
func (s *sweepScreen) start(roots []string) {
	if s.stop != nil {
		return
	}
	if roots == nil {
		roots = s.home()
	}
	if len(roots) == 0 {
		s.mw.showMessage("No home folder", "Keywarden cannot tell which folder is your home. Choose a folder to sweep.")
		return
	}
	ctx, cancel := context.WithCancel(s.mw.lifetime())
	s.stop = cancel
	s.run.Disable()
	s.pick.Disable()
	s.cancel.Show()
	s.progress.SetText("Reading your stored keys…")
	s.mw.background("Sweeping "+strings.Join(roots, ", "), func() func() {
		defer cancel()
		var r sweepDone
		var ks []sweep.Key
		ks, r.looked, r.skipped = s.storedKeys()
		fyne.Do(func() {
			if s.stop != nil {
				s.progress.SetText("Looking through your files…")
			}
		})
		start := time.Now()
		r.rep, r.err = sweep.Run(ctx, sweep.Options{Roots: roots, Keys: ks, Progress: func(p sweep.Progress) {
			fyne.Do(func() {
				if s.stop != nil {
					s.progress.SetText(fmt.Sprintf("Swept %d files… %s", p.Files, p.Dir))
				}
			})
		}})
		r.took = time.Since(start)
		if r.err == nil {
			var ids []string
			for _, k := range ks {
				if k.APIKey != "" {
					ids = append(ids, k.ID)
				}
			}
			r.spent, _ = s.mw.service().SpentBackups(r.rep, ids) // unreadable list: nothing offered
		}
		return func() { s.finish(r) }
	})
}

// storedKeys asks the service for the keys to look for (keys.SweepKeys);
// it runs off the UI goroutine. Keys not looked for by value are named in
// skipped, each with why.
func (s *sweepScreen) storedKeys() (ks []sweep.Key, looked int, skipped []string) {
	l, err := s.mw.service().SweepKeys()
	if err != nil {
		return nil, 0, []string{"your key list could not be read (" + userMessage(err) + ")"}
	}
	for _, k := range l.Skipped {
		skipped = append(skipped, "“"+k.Name+"” ("+k.Reason+")")
	}
	if l.KeyringErr != nil {
		skipped = append(skipped, "the others (the system keyring could not be read: "+userMessage(l.KeyringErr)+")")
	}
	return l.Keys, l.Looked, skipped
}

// finish shows what a sweep found.
func (s *sweepScreen) finish(r sweepDone) {
	s.stop = nil
	s.run.Enable()
	s.pick.Enable()
	s.cancel.Hide()
	var rootErr *sweep.RootError
	switch {
	case errors.Is(r.err, context.Canceled):
		s.progress.SetText("The sweep was cancelled; nothing was changed.")
		return
	case errors.As(r.err, &rootErr):
		s.progress.SetText(fmt.Sprintf("Cannot sweep %s: it does not exist, or you may not read it.", rootErr.Path))
		return
	case r.err != nil:
		s.progress.SetText("The sweep failed. " + userMessage(r.err))
		return
	}
	s.rep, s.looked, s.skipped, s.spent, s.took = r.rep, r.looked, r.skipped, r.spent, r.took
	s.imported, s.cleaned = map[int]string{}, map[string]string{}
	s.progress.SetText(s.summary(r.took))
	s.showResults()
	s.mw.notice("")
}

// summary says what was swept, and what was not looked for.
func (s *sweepScreen) summary(took time.Duration) string {
	rep := s.rep
	var b strings.Builder
	b.WriteString(keys.SweepFound(rep, s.looked))
	fmt.Fprintf(&b, " Swept %s under %s", countOf(rep.Files, "file", "files"), strings.Join(rep.Roots, ", "))
	if rep.Repos > 0 {
		fmt.Fprintf(&b, " and %s", countOf(rep.Repos, "git history", "git histories"))
	}
	fmt.Fprintf(&b, " in %.1f s", took.Seconds())
	if len(rep.Hits) > 0 { // else SweepFound said how many were looked for
		fmt.Fprintf(&b, ", looking for %s", countOf(s.looked, "stored key", "stored keys"))
	}
	b.WriteString(".")
	if len(s.skipped) > 0 {
		fmt.Fprintf(&b, " Not looked for: %s.", strings.Join(s.skipped, "; "))
	}
	if rep.Unreadable > 0 {
		fmt.Fprintf(&b, " Could not read %s.", countOf(rep.Unreadable, "file or folder", "files or folders"))
	}
	return b.String()
}

// countOf says "1 file" or "3 files".
func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// showResults lists the hits, grouped by file (or git commit): each
// copy's line and what it is, then the group's next steps, each once.
func (s *sweepScreen) showResults() {
	s.results.Objects = nil
	if s.rep == nil {
		s.results.Refresh()
		return
	}
	if len(s.spent) > 0 {
		s.results.Add(s.spentBox())
		s.results.Add(widget.NewSeparator())
	}
	if len(s.rep.Hits) == 0 {
		none := newWrapped(fmt.Sprintf("Nothing found: no copy of your keys in %s, and no other Kraken key. Sweep again after you set up a new program.", countOf(s.rep.Files, "file", "files")))
		none.Alignment = fyne.TextAlignCenter
		s.results.Add(container.NewPadded(none))
		s.results.Refresh()
		return
	}
	var groups [][]sweep.Hit
	for _, h := range s.rep.Hits {
		if n := len(groups); n > 0 && hitGroup(groups[n-1][0]) == hitGroup(h) {
			groups[n-1] = append(groups[n-1], h)
		} else {
			groups = append(groups, []sweep.Hit{h})
		}
	}
	// Keys to import first: they are what this screen can do most for.
	slices.SortStableFunc(groups, func(a, b []sweep.Hit) int {
		return cmp.Compare(btoi(!slices.ContainsFunc(a, s.importable)), btoi(!slices.ContainsFunc(b, s.importable)))
	})
	for i, g := range groups {
		if i > 0 {
			s.results.Add(widget.NewSeparator())
		}
		s.results.Add(s.groupBox(g))
	}
	s.results.Refresh()
}

// spentBox names the backups no longer needed, with a button that
// deletes them.
func (s *sweepScreen) spentBox() fyne.CanvasObject {
	n := len(s.spent)
	paths := make([]string, n)
	for i, b := range s.spent {
		paths[i] = s.short(b.Path) + " (of " + s.short(b.Of) + ")"
	}
	text := fmt.Sprintf("%s Keywarden made when it removed a key's copy: this sweep found no other copy of the key, so %s no longer needed. %s the key: delete %s.",
		countOf(n, "backup", "backups"), pick(n, "it is", "they are"), pick(n, "It holds", "They hold"), pick(n, "it", "them"))
	del := widget.NewButtonWithIcon(pick(n, "Delete the backup", "Delete the backups"), theme.DeleteIcon(), s.onDeleteBackups)
	del.Importance = widget.DangerImportance
	return container.NewVBox(newWrapped(text), newWrapped(strings.Join(paths, "\n")), container.NewHBox(del))
}

// onDeleteBackups deletes the backups no longer needed, off the UI
// goroutine.
func (s *sweepScreen) onDeleteBackups() {
	spent := s.spent
	s.mw.background("Deleting backups", func() func() {
		err := s.mw.service().DeleteBackups(spent)
		return func() {
			if err != nil {
				s.mw.showError("Not every backup was deleted", err)
				return
			}
			s.spent = nil
			s.showResults()
			s.mw.notice("Deleted " + countOf(len(spent), "backup", "backups") + ".")
		}
	})
}

// pick says one or many.
func pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// groupBox shows the hits of one file or commit.
func (s *sweepScreen) groupBox(hits []sweep.Hit) fyne.CanvasObject {
	head := widget.NewLabelWithStyle(s.short(hitGroup(hits[0])), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.Wrapping = fyne.TextWrapBreak
	box := container.NewVBox(head)
	if backup, ok := s.cleaned[hits[0].Path]; ok && hits[0].Git == nil {
		box.Add(newWrapped("The key's copy was removed from this file; the file as it was is kept in " + backup + "."))
	}
	var lines []string
	for _, h := range hits {
		lines = append(lines, fmt.Sprintf("Line %d: %s", h.Line, h.What()))
	}
	box.Add(newWrapped(strings.Join(lines, "\n")))
	var steps []string
	importing := map[int]bool{}
	for _, h := range hits {
		if name, ok := s.imported[h.Unknown]; ok && h.Kind == sweep.KindUnknown {
			if !importing[h.Unknown] {
				importing[h.Unknown] = true
				msg := fmt.Sprintf("Key #%d was imported as “%s”. Sweep again to see this copy's next step.", h.Unknown, name)
				if _, gone := s.cleaned[h.Path]; gone && h.Git == nil {
					msg = fmt.Sprintf("Key #%d was imported as “%s”, and this copy removed.", h.Unknown, name)
				}
				box.Add(newWrapped(msg))
			}
			continue
		}
		if slices.Contains(steps, h.Next) {
			continue
		}
		steps = append(steps, h.Next)
		switch {
		case s.importable(h):
			if !importing[h.Unknown] {
				importing[h.Unknown] = true
				box.Add(newWrapped("Next: " + keys.ImportStep(h)))
				b := widget.NewButtonWithIcon("Import…", theme.ContentAddIcon(), func() { s.onImport(h) })
				b.Importance = widget.HighImportance
				box.Add(container.NewHBox(b))
			}
		case h.Kind == sweep.KindStored && execCommand(h.Next) != "":
			cmd := execCommand(h.Next)
			box.Add(newWrapped("Next: " + strings.TrimSpace(h.Next[:strings.Index(h.Next, cmd)])))
			{
				c := widget.NewLabelWithStyle(cmd, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
				c.Wrapping = fyne.TextWrapBreak
				copyBtn := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
					s.mw.clipboard().SetContent(cmd) // a command, no secret
					s.mw.notice("Copied the command.")
				})
				box.Add(container.NewBorder(nil, nil, nil, container.NewVBox(copyBtn), c))
			}
		default:
			box.Add(newWrapped("Next: " + h.Next))
		}
	}
	return box
}

// importable reports whether the hit holds a whole key not in the vault,
// not imported yet.
func (s *sweepScreen) importable(h sweep.Hit) bool {
	_, _, ok := h.Pair()
	_, done := s.imported[h.Unknown]
	return ok && h.Kind == sweep.KindUnknown && h.Part == sweep.PartPair && !done
}

// short writes the home folder swept as ~ in a heading.
func (s *sweepScreen) short(text string) string {
	home := s.home()
	if len(home) != 1 || home[0] == "" || home[0] == string(filepath.Separator) {
		return text
	}
	return strings.ReplaceAll(text, home[0]+string(filepath.Separator), "~"+string(filepath.Separator))
}

// hitGroup is the heading a hit is listed under.
func hitGroup(h sweep.Hit) string {
	if h.Git == nil {
		return h.Path
	}
	if h.Git.Commit == "" {
		return "Git history of " + h.Path + " (an object no commit reaches)"
	}
	c := h.Git.Commit
	if len(c) > 12 {
		c = c[:12]
	}
	return "Git history of " + h.Path + ", commit " + c
}

// execCommand picks the keywarden exec command out of a next step ("cd
// DIR && keywarden exec …"); "" when it has none.
func execCommand(next string) string {
	i := strings.Index(next, "keywarden exec ")
	if i < 0 {
		return ""
	}
	if j := strings.LastIndex(next[:i], "cd "); j >= 0 && strings.HasSuffix(strings.TrimSpace(next[:i]), "&&") {
		i = j
	}
	cmd := next[i:]
	if j := strings.Index(cmd, " (it sets"); j >= 0 {
		cmd = cmd[:j]
	}
	return strings.TrimSuffix(strings.TrimSpace(cmd), ".")
}

// importDialog asks how to keep a key found: its name, who uses it, its
// purpose, and whether to remove the copy.
type importDialog struct {
	s      *sweepScreen
	hit    sweep.Hit
	rb     vault.Readback
	name   *widget.Entry
	usedBy *widget.Entry
	// purpose shows the purposes' labels.
	purpose *widget.Select
	remove  *widget.Check
	dlg     *dialog.FormDialog
}

// onImport asks the exchange what the key may do (one GetApiKeyInfo
// call), then opens the import dialog with a purpose to match.
func (s *sweepScreen) onImport(h sweep.Hit) {
	s.mw.background("Asking Kraken about the key", func() func() {
		ctx, cancel := s.mw.checkContext()
		defer cancel()
		rb, err := s.mw.service().VerifyFound(ctx, h)
		return func() {
			if err != nil {
				s.mw.showError("The key was not imported", err)
				return
			}
			s.openImport(h, rb)
		}
	})
}

func (s *sweepScreen) openImport(h sweep.Hit, rb vault.Readback) {
	d := &importDialog{s: s, hit: h, rb: rb}
	d.name = widget.NewEntry()
	d.name.SetText(keys.ImportName(h, s.mw.keyList()))
	d.name.Validator = func(v string) error {
		if strings.TrimSpace(v) == "" {
			return errors.New("give the key a name")
		}
		return nil
	}
	d.usedBy = widget.NewEntry()
	d.usedBy.SetPlaceHolder("the programs or services that hold it, comma-separated")
	labels := make([]string, len(vault.Purposes))
	for i, p := range vault.Purposes {
		labels[i] = p.Label()
	}
	d.purpose = widget.NewSelect(labels, nil)
	d.purpose.SetSelected(keys.PurposeFor(rb.Permissions).Label())
	d.remove = widget.NewCheck("Remove the copy from this file (a backup is kept)", nil)
	canRemove, why := keys.CanRemoveCopy(h)
	if !canRemove {
		d.remove.Text = "The copy cannot be removed here"
		d.remove.Disable()
	}
	perms := newWrapped(fmt.Sprintf("Kraken accepts this key. It may: %s (%s).", permissionList(rb.Permissions), kraken.RiskWords(rb.Permissions)))
	where := newWrapped("Found at " + h.Where() + ".")
	items := []*widget.FormItem{
		widget.NewFormItem("", where),
		widget.NewFormItem("", perms),
		widget.NewFormItem("Name", d.name),
		widget.NewFormItem("Used by", d.usedBy),
		widget.NewFormItem("Purpose", d.purpose),
		widget.NewFormItem("", d.remove),
	}
	if !canRemove {
		items = append(items, widget.NewFormItem("", newWrapped(why)))
	}
	d.dlg = dialog.NewForm("Import a key found", "Import", "Cancel", items, func(ok bool) {
		if ok {
			d.onImport()
		}
	}, s.mw.window())
	d.dlg.Resize(fyne.NewSize(600, 0))
	s.importer = d
	d.dlg.Show()
}

// permissionList names permissions in the website's words.
func permissionList(perms []kraken.Permission) string {
	if len(perms) == 0 {
		return "nothing"
	}
	out := make([]string, len(perms))
	for i, p := range kraken.SortPermissions(perms) {
		if info, ok := p.Info(); ok {
			out[i] = info.Group + ": " + info.Label
		} else {
			out[i] = string(p)
		}
	}
	return strings.Join(out, ", ")
}

// purposeOf reads back a label of vault.Purposes.
func purposeOf(label string) vault.Purpose {
	for _, p := range vault.Purposes {
		if p.Label() == label {
			return p
		}
	}
	return vault.PurposeCustom
}

// onImport saves the key through keys.Import, and says what became of
// the copy.
func (d *importDialog) onImport() {
	s := d.s
	in := keys.Import{Hit: d.hit, Name: d.name.Text, UsedBy: strings.Split(d.usedBy.Text, ","),
		Purpose: purposeOf(d.purpose.Selected), Readback: &d.rb, RemoveCopy: d.remove.Checked && !d.remove.Disabled()}
	s.mw.background("Importing "+strings.TrimSpace(in.Name), func() func() {
		ctx, cancel := s.mw.checkContext()
		defer cancel()
		res, err := s.mw.service().Import(ctx, in)
		snap := s.mw.readList()
		return func() {
			s.mw.setData(snap)
			if err != nil {
				s.mw.showError("The key was not imported", err)
				return
			}
			s.imported[d.hit.Unknown] = res.Record.Name
			msg := "Saved “" + res.Record.Name + "”: its secrets are in the system keyring."
			switch {
			case res.Removed != nil:
				s.cleaned[res.Removed.Path] = res.Removed.Backup
				did := "Its lines were removed from"
				switch {
				case len(res.Removed.Dropped) == 0:
					did = "Its values were emptied in"
				case res.Removed.Blanked:
					did = "Its lines were removed from, or its values emptied in,"
				}
				msg += fmt.Sprintf(" %s %s. The file as it was is kept in %s, readable by you only: it holds the key, so delete it once you no longer need it (a later sweep that finds no other copy offers to).",
					did, filepath.Base(res.Removed.Path), res.Removed.Backup)
				if res.BackupErr != nil {
					msg += " Keywarden could not note that backup in its list, so no sweep will offer to delete it: delete it yourself."
				}
			case res.RemoveErr != nil:
				msg += " The copy was not removed: " + userMessage(res.RemoveErr)
			}
			s.showResults()
			s.mw.notice("Imported " + res.Record.Name + ".")
			s.mw.showMessage("Key imported", msg)
		}
	})
}
