// Package syncui is the Sinkronisasi screen: what the sync client reports
// (last success, pending and rejected changes, conflicts, clock warning), a
// "sync now" button, the rejected changes with their reasons, and the
// conflicts with both values and a button to choose the other one. It talks
// to the client only through the narrow Client interface and never calls the
// network itself; without a client it explains how to connect and that the
// app works offline.
package syncui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
	"github.com/kemnaker/blk/sync"
)

// Client is what the screen needs from the sync client (sync.Client).
type Client interface {
	Status() sync.Status
	SyncNow()
	Subscribe(func(sync.Status)) (cancel func())
}

// Enroller joins a central server with a one-time code (sync.Client.Enrol).
type Enroller func(ctx context.Context, serverURL, code string) error

// Store is what the screen reads and writes in the store: the server's
// refusals and the conflicts to resolve, and the resolution the operator
// picks. The sync itself (push, pull, outbox, cursors) is the Client's:
// the screen only asks it to run. *store.Store satisfies it.
type Store interface {
	Rejections(ctx context.Context) ([]store.Rejection, error)
	Conflicts(ctx context.Context) ([]domain.Conflict, error)
	ResolveConflict(ctx context.Context, id string, useLoser bool) error
}

// Screen is the Sinkronisasi screen.
type Screen struct {
	deps   screen.Deps
	st     Store
	client Client
	enrol  Enroller
	root   *fyne.Container
	status *widget.Label
	clock  *widget.Label
	// more opens the technical detail of the last failure ("Rincian").
	more   *widget.Button
	detail string
	lists  *fyne.Container
	cancel func()
}

// New builds the screen over st; client and enrol may be nil.
func New(deps screen.Deps, st Store, client Client, enrol Enroller) *Screen {
	if deps.Changed == nil {
		deps.Changed = func() {}
	}
	s := &Screen{deps: deps, st: st, client: client, enrol: enrol}
	s.status = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.clock = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance}
	s.clock.Hide()
	s.more = widget.NewButtonWithIcon(i18n.T("syncerr.detail"), theme.InfoIcon(), func() { ShowDetail(s.deps.Window, s.detail) })
	s.more.Hide()
	s.lists = container.NewVBox()
	s.root = container.NewStack()
	s.rebuild()
	return s
}

// rebuild lays the screen out again (after enrolling, the offline panel
// gives way to the status panel).
func (s *Screen) rebuild() {
	s.root.Objects = []fyne.CanvasObject{container.NewBorder(s.top(), nil, nil, nil, container.NewVScroll(s.lists))}
	s.root.Refresh()
}

// top is the status panel when enrolled, the offline explanation otherwise.
func (s *Screen) top() fyne.CanvasObject {
	if s.client == nil || !s.client.Status().Enrolled {
		return s.offlinePanel()
	}
	now := widget.NewButtonWithIcon(i18n.T("sync.now"), theme.ViewRefreshIcon(), s.client.SyncNow)
	now.Importance = widget.HighImportance
	if s.cancel == nil {
		s.cancel = s.client.Subscribe(func(st sync.Status) {
			s.deps.Do(func() { s.showStatus(st) })
		})
	}
	s.showStatus(s.client.Status())
	return container.NewVBox(s.status, s.clock, container.NewHBox(now, s.more))
}

// Content implements screen.Screen.
func (s *Screen) Content() fyne.CanvasObject { return s.root }

// offlinePanel explains working offline and, when an Enroller is given,
// offers to connect with a server URL and a one-time code.
func (s *Screen) offlinePanel() fyne.CanvasObject {
	head := &widget.Label{Text: i18n.T("status.offline"), TextStyle: fyne.TextStyle{Bold: true}}
	explain := &widget.Label{Text: i18n.T("sync.offline.explain"), Wrapping: fyne.TextWrapWord}
	if s.enrol == nil {
		return container.NewVBox(head, explain, &widget.Label{Text: i18n.T("sync.enrol.cli"), Wrapping: fyne.TextWrapWord})
	}
	url := widget.NewEntry()
	url.SetPlaceHolder("https://blk.kemnaker.go.id")
	code := widget.NewEntry()
	code.SetPlaceHolder(i18n.T("sync.enrol.code.hint"))
	var btn *widget.Button
	connect := func() {
		if strings.TrimSpace(url.Text) == "" || strings.TrimSpace(code.Text) == "" {
			dialog.ShowInformation(i18n.T("sync.title"), i18n.T("sync.enrol.missing"), s.deps.Window)
			return
		}
		screen.RunLong(s.deps.Run, s.deps.Window, i18n.T("sync.enrol.running"), func(ctx context.Context, _ screen.Progress) error {
			return s.enrol(ctx, strings.TrimSpace(url.Text), strings.TrimSpace(code.Text))
		}, func(err error) {
			if err != nil && !errors.Is(err, sync.ErrEnrolledNotSynced) {
				ShowFailure(s.deps.Window, err)
				return
			}
			if err != nil {
				// Joined: the code is spent; the download continues by itself.
				ShowFailure(s.deps.Window, err)
			} else {
				dialog.ShowInformation(i18n.T("sync.title"), i18n.T("sync.enrol.done"), s.deps.Window)
			}
			s.rebuild()
			s.deps.Changed()
		})
	}
	code.OnSubmitted = func(string) { connect() }
	btn = widget.NewButtonWithIcon(i18n.T("sync.enrol.button"), theme.LoginIcon(), connect)
	btn.Importance = widget.HighImportance
	form := widget.NewForm(widget.NewFormItem(i18n.T("sync.enrol.url"), url), widget.NewFormItem(i18n.T("sync.enrol.code"), code))
	return container.NewVBox(head, explain, form, container.NewHBox(btn))
}

// Describe renders a status for people: the status bar and this screen use it.
func Describe(st sync.Status) string {
	if !st.Enrolled {
		return i18n.T("status.offline")
	}
	var parts []string
	switch {
	case st.Running:
		parts = append(parts, i18n.T("status.running"))
	case st.LastSuccess.IsZero():
		parts = append(parts, i18n.T("status.never"))
	default:
		parts = append(parts, i18n.T("status.last", st.LastSuccess.Local().Format("02-01-2006 15:04")))
	}
	parts = append(parts, i18n.Count("status.pending", st.Pending))
	if st.Rejected > 0 {
		parts = append(parts, i18n.Count("status.rejected", st.Rejected))
	}
	if st.Conflicts > 0 {
		parts = append(parts, i18n.Count("status.conflicts", st.Conflicts))
	}
	if st.LastError != "" {
		parts = append(parts, i18n.T("status.error", st.LastError))
	}
	if st.ClockWarn {
		parts = append(parts, i18n.T("status.clock"))
	}
	return strings.Join(parts, " · ")
}

func (s *Screen) showStatus(st sync.Status) {
	text := i18n.T("sync.server", st.Server) + "\n" + Describe(st)
	if !st.NextAttempt.IsZero() && !st.Running {
		text += "\n" + i18n.T("sync.next", st.NextAttempt.Local().Format("15:04"))
	}
	s.status.SetText(text)
	s.detail = st.LastErrorDetail
	if s.detail != "" {
		s.more.Show()
	} else {
		s.more.Hide()
	}
	if st.ClockWarn {
		s.clock.SetText(i18n.T("sync.clock.warn", st.ClockSkew.Round(time.Minute).String()))
		s.clock.Show()
	} else {
		s.clock.Hide()
	}
}

// Update reloads rejected changes and conflicts off the UI goroutine.
func (s *Screen) Update(ctx context.Context) {
	s.deps.Go(func() {
		rej, err := s.st.Rejections(ctx)
		var cs []domain.Conflict
		if err == nil {
			cs, err = s.st.Conflicts(ctx)
		}
		s.deps.Do(func() {
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			s.showLists(rej, cs)
		})
	})
}

func (s *Screen) showLists(rej []store.Rejection, cs []domain.Conflict) {
	lang := i18n.Lang()
	objs := []fyne.CanvasObject{&widget.Label{Text: i18n.Count("sync.rejected.title", len(rej)), TextStyle: fyne.TextStyle{Bold: true}}}
	if len(rej) == 0 {
		objs = append(objs, widget.NewLabel(i18n.T("sync.none")))
	}
	for _, r := range rej {
		objs = append(objs, &widget.Label{Wrapping: fyne.TextWrapWord, Text: fmt.Sprintf("%s · %s %s · %s: %s",
			r.At.Local().Format("02-01-2006 15:04"), r.Table, shortID(r.RowID), domain.FieldLabel(r.Field, lang), r.Reason)})
	}
	open := 0
	for _, c := range cs {
		if !c.Resolved {
			open++
		}
	}
	objs = append(objs, widget.NewSeparator(), &widget.Label{Text: i18n.Count("sync.conflicts.title", open), TextStyle: fyne.TextStyle{Bold: true}})
	if open == 0 {
		objs = append(objs, widget.NewLabel(i18n.T("sync.none")))
	}
	for _, c := range cs {
		if c.Resolved {
			continue
		}
		c := c
		line := &widget.Label{Wrapping: fyne.TextWrapWord, Text: i18n.T("sync.conflict.line",
			c.Table, shortID(c.RowID), domain.FieldLabel(c.Field, lang), fmt.Sprint(c.Winner), fmt.Sprint(c.Loser))}
		keep := widget.NewButton(i18n.T("sync.conflict.keep"), func() { s.resolve(c.ID, false) })
		other := widget.NewButton(i18n.T("sync.conflict.other"), func() { s.resolve(c.ID, true) })
		other.Importance = widget.HighImportance
		objs = append(objs, container.NewBorder(nil, nil, nil, container.NewHBox(keep, other), line))
	}
	s.lists.Objects = objs
	s.lists.Refresh()
}

// resolve records the operator's choice off the UI goroutine.
func (s *Screen) resolve(id string, useLoser bool) {
	s.deps.Go(func() {
		err := s.st.ResolveConflict(context.Background(), id, useLoser)
		s.deps.Do(func() {
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			s.deps.Changed()
			if s.client != nil {
				s.client.SyncNow()
			}
			s.Update(context.Background())
		})
	})
}

// Close stops listening to the client (when the shell rebuilds screens).
func (s *Screen) Close() {
	if s.cancel != nil {
		s.cancel()
	}
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[len(id)-8:]
	}
	return id
}

// DataChanged (screen.Watcher) reloads what the screen shows when a
// committed write (its own, an import, a pull) changed one of its tables.
func (s *Screen) DataChanged(ctx context.Context, c store.Changed) {
	if c.Has("conflicts", "rejections") {
		s.Update(ctx)
	}
}
