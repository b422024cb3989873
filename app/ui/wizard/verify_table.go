package wizard

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// rowCells are the widgets of one comparison row.
type rowCells struct {
	row      compareRow
	icon     *widget.Icon
	what     *widget.Label
	intended *widget.Label
	real     *widget.Label
	explain  *widget.Label // nil when the row agrees
}

// Column weights of the comparison: what, intended, on Kraken.
var tableWeights = []float32{5, 3, 3}

// renderTable fills the comparison table from s.rows.
func (s *verifyStep) renderTable() {
	head := func(t string) *widget.Label {
		l := widget.NewLabelWithStyle(t, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	s.table.Add(s.line(nil, head(""), head("Intended here"), head("On Kraken")))
	s.table.Add(widget.NewSeparator())
	for _, r := range s.rows {
		c := rowCells{row: r}
		c.icon = widget.NewIcon(rowIcon(r))
		c.what, c.intended, c.real = wrapped(r.What), wrapped(r.Intended), wrapped(r.Real)
		imp := rowImportance(r)
		for _, l := range []*widget.Label{c.what, c.intended, c.real} {
			l.Importance = imp
			l.TextStyle.Bold = r.State == rowDiffers
		}
		s.table.Add(s.line(c.icon, c.what, c.intended, c.real))
		if r.Explain != "" {
			c.explain = wrapped(r.Explain)
			c.explain.Importance = imp
			if r.State == rowUnknown {
				c.explain.Importance = widget.MediumImportance
			}
			c.explain.SizeName = theme.SizeNameCaptionText
			s.table.Add(s.line(nil, c.explain))
		}
		s.cells = append(s.cells, c)
	}
}

// line lays out one row: an icon column, then the cells in proportion.
// A single cell spans all columns.
func (s *verifyStep) line(icon fyne.CanvasObject, cells ...fyne.CanvasObject) fyne.CanvasObject {
	lead := canvas.NewRectangle(color.Transparent)
	lead.SetMinSize(fyne.NewSquareSize(theme.IconInlineSize()))
	left := fyne.CanvasObject(lead)
	if icon != nil {
		left = container.NewStack(lead, container.NewCenter(icon))
	}
	if len(cells) == 1 {
		return container.NewBorder(nil, nil, left, nil, cells[0])
	}
	return container.NewBorder(nil, nil, left, nil, container.New(&columns{weights: tableWeights}, cells...))
}

func rowIcon(r compareRow) fyne.Resource {
	switch {
	case r.State == rowUnknown:
		return theme.QuestionIcon()
	case r.State == rowSame:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case r.Danger:
		return theme.NewErrorThemedResource(theme.ErrorIcon())
	}
	return theme.NewWarningThemedResource(theme.WarningIcon())
}

func rowImportance(r compareRow) widget.Importance {
	switch {
	case r.State != rowDiffers:
		return widget.MediumImportance
	case r.Danger:
		return widget.DangerImportance
	}
	return widget.WarningImportance
}

// columns lays objects side by side, widths in proportion to weights.
type columns struct{ weights []float32 }

func (c *columns) widths(total float32, n int) []float32 {
	pad := theme.Padding()
	var sum float32
	for i := 0; i < n; i++ {
		sum += c.weights[i%len(c.weights)]
	}
	avail := total - pad*float32(n-1)
	out := make([]float32, n)
	for i := range out {
		out[i] = avail * c.weights[i%len(c.weights)] / sum
	}
	return out
}

// Layout places the objects.
func (c *columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	ws := c.widths(size.Width, len(objs))
	var x float32
	for i, o := range objs {
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(ws[i], size.Height))
		x += ws[i] + theme.Padding()
	}
}

// MinSize is wide enough for every cell at its share, and as tall as the
// tallest cell.
func (c *columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h, w float32
	var sum float32
	for i := range objs {
		sum += c.weights[i%len(c.weights)]
	}
	for i, o := range objs {
		m := o.MinSize()
		h = max(h, m.Height)
		w = max(w, m.Width*sum/c.weights[i%len(c.weights)])
	}
	return fyne.NewSize(w+theme.Padding()*float32(len(objs)-1), h)
}
