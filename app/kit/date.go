package kit

import (
	"time"

	"github.com/kemnaker/blk/app/datefield"
)

// Date adds the desktop's date input (dates as Indonesians write them, a
// calendar, ISO in storage: app/datefield) for a date field. Like the
// form's own entries it revalidates as it is typed, Enter submits and
// Escape cancels.
// now is the store's clock, which the calendar opens on.
func (f *Form) Date(field, label string, now func() time.Time) *datefield.Entry {
	e := datefield.New(now)
	e.OnChanged = func(string) { f.Revalidate() }
	e.OnSubmitted = func(string) {
		if f.Submit != nil {
			f.Submit()
		}
	}
	e.OnEscape = func() {
		if f.Cancel != nil {
			f.Cancel()
		}
	}
	f.Add(field, label, e)
	return e
}
