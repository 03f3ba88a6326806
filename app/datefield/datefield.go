// Package datefield is the one date input of the desktop: an entry that
// reads a date the way Indonesians write it (17-08-2001, 17/08/2001,
// 17-8-01, 17 Agustus 2001 or ISO, through domain.ReadDate), shows it as
// 17-08-2001, hands the form the stored ISO form, and opens a calendar
// from its button. Any form adopts it by swapping a widget.Entry for
// datefield.New and reading ISO() instead of Text. It touches no store.
package datefield

import (
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
)

// Entry is a date field. OnChanged (set it, not the embedded entry's)
// gets the text as typed on every keystroke.
type Entry struct {
	widget.Entry
	// Now is "today" for two-digit years and the calendar's first month.
	Now       func() time.Time
	OnChanged func(text string)
	// OnEscape runs when Escape is pressed in the field (a form's Cancel);
	// nil leaves Escape to the entry.
	OnEscape func()
	popup    *widget.PopUp
	calendar *Calendar
}

// Calendar is the calendar last opened (nil before the first).
func (e *Entry) Calendar() *Calendar { return e.calendar }

// New makes a date field; now gives "today" (the store's clock).
func New(now func() time.Time) *Entry {
	e := &Entry{Now: now}
	e.ExtendBaseWidget(e)
	e.SetPlaceHolder(i18n.T("datefield.hint"))
	e.Entry.OnChanged = func(s string) {
		if e.OnChanged != nil {
			e.OnChanged(s)
		}
	}
	btn := widget.NewButtonWithIcon("", theme.CalendarIcon(), e.ShowCalendar)
	btn.Importance = widget.LowImportance
	e.ActionItem = btn
	return e
}

func (e *Entry) now() time.Time {
	if e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

// ISO is the date as stored (2001-08-17), "" when the field is empty, or
// the text as typed when it is no date, so validation can say so.
func (e *Entry) ISO() string {
	s := strings.TrimSpace(e.Text)
	if s == "" {
		return ""
	}
	if iso, ok := domain.ReadDate(s, e.now()); ok {
		return iso
	}
	return s
}

// TypedKey hands Escape to OnEscape, as a form's own entries do.
func (e *Entry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.OnEscape != nil {
		e.OnEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// TypedShortcut hands window shortcuts (Ctrl+N, Ctrl+F…) to the window, as
// every entry of the app does (widgets.ForwardShortcut); the field keeps its
// own (copy, paste, word moves).
func (e *Entry) TypedShortcut(s fyne.Shortcut) {
	if !widgets.ForwardShortcut(e, s) {
		e.Entry.TypedShortcut(s)
	}
}

// SetISO shows a stored date as 17-08-2001.
func (e *Entry) SetISO(iso string) { e.SetText(domain.ShowDate(iso)) }

// FocusLost writes a readable date the one way dates are shown.
func (e *Entry) FocusLost() {
	e.Entry.FocusLost()
	if iso, ok := domain.ReadDate(e.Text, e.now()); ok && domain.ShowDate(iso) != e.Text {
		e.SetText(domain.ShowDate(iso))
	}
}

// ShowCalendar opens the month of the date in the field (or of today)
// under the field; a tapped day fills it in.
func (e *Entry) ShowCalendar() {
	c := fyne.CurrentApp().Driver().CanvasForObject(e)
	if c == nil {
		return
	}
	start := e.now()
	if t, ok := domain.ParseDate(e.ISO()); ok {
		start = t
	}
	e.calendar = NewCalendar(start, e.now(), func(t time.Time) {
		e.SetISO(t.Format(domain.DateLayout))
		if e.popup != nil {
			e.popup.Hide()
		}
	})
	e.popup = widget.NewPopUp(e.calendar, c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(e)
	e.popup.ShowAtPosition(pos.Add(fyne.NewPos(0, e.Size().Height)))
}

// Calendar is a month of days to tap, with the month and year chosen from
// lists, so a birth date decades back is three taps away.
type Calendar struct {
	widget.BaseWidget
	month  *widget.Select
	year   *widget.Select
	days   *fyne.Container
	shown  time.Time // the first of the month shown
	marked time.Time // the date the field holds, shown highlighted
	picked func(time.Time)
	years  []int
}

// NewCalendar shows the month of start; years run from 100 before today
// to 5 after it.
func NewCalendar(start, today time.Time, picked func(time.Time)) *Calendar {
	c := &Calendar{picked: picked, shown: time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC),
		marked: time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)}
	months := make([]string, 12)
	for i := range months {
		months[i] = MonthName(time.Month(i + 1))
	}
	var yearOpts []string
	for y := today.Year() + 5; y >= today.Year()-100; y-- {
		c.years = append(c.years, y)
		yearOpts = append(yearOpts, strconv.Itoa(y))
	}
	if y := start.Year(); y > today.Year()+5 || y < today.Year()-100 {
		c.years = append(c.years, y)
		yearOpts = append(yearOpts, strconv.Itoa(y))
	}
	c.month = widget.NewSelect(months, func(string) { c.ShowMonth(c.shown.Year(), time.Month(c.month.SelectedIndex()+1)) })
	c.year = widget.NewSelect(yearOpts, func(s string) { y, _ := strconv.Atoi(s); c.ShowMonth(y, c.shown.Month()) })
	c.days = container.NewGridWithColumns(7)
	c.ExtendBaseWidget(c)
	c.render()
	return c
}

// MonthName is the month's name in the current language.
func MonthName(m time.Month) string { return i18n.T("datefield.month." + strconv.Itoa(int(m))) }

// ShowMonth turns the calendar to month m of year y.
func (c *Calendar) ShowMonth(y int, m time.Month) {
	if y == 0 || m < 1 {
		return
	}
	t := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	if t.Equal(c.shown) {
		return
	}
	c.shown = t
	c.render()
}

// Shown is the first day of the month on show.
func (c *Calendar) Shown() time.Time { return c.shown }

// Pick taps a day of the month on show.
func (c *Calendar) Pick(day int) {
	if c.picked != nil {
		c.picked(c.shown.AddDate(0, 0, day-1))
	}
}

func (c *Calendar) render() {
	c.month.SetSelectedIndex(int(c.shown.Month()) - 1)
	c.year.SetSelected(strconv.Itoa(c.shown.Year()))
	c.days.RemoveAll()
	// Weeks start on Monday (Senin), as Indonesian calendars print them.
	for d := 1; d <= 7; d++ {
		c.days.Add(&widget.Label{Text: i18n.T("datefield.day." + strconv.Itoa(d)), Alignment: fyne.TextAlignCenter, TextStyle: fyne.TextStyle{Bold: true}})
	}
	blank := (int(c.shown.Weekday()) + 6) % 7
	for range blank {
		c.days.Add(widget.NewLabel(""))
	}
	last := c.shown.AddDate(0, 1, -1).Day()
	for d := 1; d <= last; d++ {
		b := widget.NewButton(strconv.Itoa(d), func() { c.Pick(d) })
		b.Importance = widget.LowImportance
		if c.shown.AddDate(0, 0, d-1).Equal(c.marked) {
			b.Importance = widget.HighImportance
		}
		c.days.Add(b)
	}
	c.days.Refresh()
}

func (c *Calendar) CreateRenderer() fyne.WidgetRenderer {
	prev := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() {
		t := c.shown.AddDate(0, -1, 0)
		c.ShowMonth(t.Year(), t.Month())
	})
	next := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() {
		t := c.shown.AddDate(0, 1, 0)
		c.ShowMonth(t.Year(), t.Month())
	})
	head := container.NewBorder(nil, nil, prev, next, container.NewGridWithColumns(2, c.month, c.year))
	return widget.NewSimpleRenderer(container.NewBorder(head, nil, nil, nil, c.days))
}
