package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/vault"
)

// reviewScreen is a key's review (flow 3): what Keywarden found, three
// questions to answer honestly, then keep it (Mark reviewed), replace it
// (Rotate) or get rid of it (Revoke).
type reviewScreen struct {
	mw  reviewHost
	rec vault.Record

	needed, services, minimal *widget.Check
	back, markReviewed        *widget.Button
	rotate, revoke            *widget.Button
	hint                      *widget.Label
	content                   fyne.CanvasObject
}

// showReview shows the review of the key with the given ID.
func (mw *mainWindow) showReview(id string) {
	rec, ok := mw.record(id)
	if !ok {
		mw.showList()
		return
	}
	mw.clearScreens()
	mw.review = newReviewScreen(mw, rec)
	mw.show(viewReview, id, mw.review.content)
}

func newReviewScreen(mw reviewHost, rec vault.Record) *reviewScreen {
	s := &reviewScreen{mw: mw, rec: rec}
	s.back = widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), func() { mw.showDetail(rec.ID) })

	services := usedBy(rec)
	if services == "" {
		services = "the services it was made for"
	}
	perms, _ := permissionSummary(rec)
	var q1, q2, q3 fyne.CanvasObject
	s.needed, q1 = wrappedCheck("It is still needed: something still uses it.", s.onAnswer)
	s.services, q2 = wrappedCheck("It is still used only by "+services+".", s.onAnswer)
	s.minimal, q3 = wrappedCheck("Its permissions are still the least the job needs ("+perms+").", s.onAnswer)
	s.hint = newWrapped("")

	s.markReviewed = widget.NewButtonWithIcon("Mark reviewed", theme.ConfirmIcon(), s.onMarkReviewed)
	s.markReviewed.Importance = widget.HighImportance
	s.rotate = widget.NewButtonWithIcon("Rotate: make a replacement…", theme.MediaReplayIcon(), func() { mw.onRotate(rec) })
	s.revoke = widget.NewButtonWithIcon("Revoke it…", theme.CancelIcon(), func() { mw.showRevoke(rec.ID, false) })
	s.onAnswer(false)

	title := newHeading("Review “" + rec.Name + "”")
	title.SizeName = theme.SizeNameHeadingText
	intro := newWrapped("A key nobody looks at is a key nobody misses when it leaks. " +
		"Read what Keywarden found, answer three questions, then keep, replace or revoke the key.")
	checklist := container.NewVBox(q1, q2, q3)
	buttons := container.NewHBox(s.markReviewed, s.rotate, s.revoke)
	body := container.NewVBox(
		intro,
		newHeading("What Keywarden found"), findingsView(mw.findings(rec)),
		widget.NewSeparator(),
		newHeading("Three questions"), checklist, s.hint,
		widget.NewSeparator(),
		newHeading("Then"), container.NewHScroll(buttons),
	)
	header := container.NewVBox(container.NewBorder(nil, nil, s.back, nil, title), widget.NewSeparator())
	s.content = container.NewBorder(header, nil, nil, nil, container.NewVScroll(container.NewPadded(body)))
	return s
}

// onAnswer enables Mark reviewed once every question is answered yes.
func (s *reviewScreen) onAnswer(bool) {
	if s.needed.Checked && s.services.Checked && s.minimal.Checked {
		s.markReviewed.Enable()
		s.hint.SetText("All three hold: mark it reviewed, and Keywarden asks again when the next review is due.")
		return
	}
	s.markReviewed.Disable()
	s.hint.SetText("Tick all three to mark it reviewed. If one does not hold: no longer needed, revoke it; " +
		"used somewhere else too, rotate it so each service has its own key; more permissions than needed, rotate it with fewer.")
}

func (s *reviewScreen) onMarkReviewed() {
	s.mw.markReviewed(s.rec, "still needed, used by the same services, permissions minimal")
}

// wrappedCheck is a check box whose text wraps instead of widening the
// screen; tapping the text ticks the box, as with a plain check box. The
// box is returned for tests, the row for the layout.
func wrappedCheck(text string, changed func(bool)) (*widget.Check, fyne.CanvasObject) {
	c := widget.NewCheck("", changed)
	label := newTapLabel(text, func() {
		if !c.Disabled() {
			c.SetChecked(!c.Checked)
		}
	})
	return c, container.NewBorder(nil, nil, container.NewVBox(c), nil, label)
}

// tapLabel is a wrapping label that does something when tapped.
type tapLabel struct {
	widget.Label
	onTap func()
}

func newTapLabel(text string, onTap func()) *tapLabel {
	l := &tapLabel{onTap: onTap}
	l.Text = text
	l.Wrapping = fyne.TextWrapWord
	l.ExtendBaseWidget(l)
	return l
}

// Tapped runs onTap.
func (l *tapLabel) Tapped(*fyne.PointEvent) { l.onTap() }
