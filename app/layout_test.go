package app

import (
	"context"
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/programmes"
	"github.com/kemnaker/blk/demo"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// appTabs lists the tab containers in o's tree.
func appTabs(o fyne.CanvasObject) []*container.AppTabs {
	var out []*container.AppTabs
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *container.AppTabs:
			out = append(out, x)
			for _, it := range x.Items {
				walk(it.Content)
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case *container.Scroll:
			walk(x.Content)
		case *container.Split:
			walk(x.Leading)
			walk(x.Trailing)
		}
	}
	walk(o)
	return out
}

func TestEveryScreenFitsA1024x768WindowWithABigCentre(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a 20,000-trainee centre")
	}
	// given a centre with 20,000 trainees (1,250 cohorts); under the race
	// detector (make test) a tenth of it, which fills the same lists past
	// one screen's height
	trainees := 20000
	if underRace {
		trainees = 2000
	}
	st := openStore(t, true)
	sum, err := demo.Generate(context.Background(), st, demo.Options{Trainees: trainees, Seed: 1, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	sum.People = nil // a sample of hundreds of trainees: not for the log
	t.Logf("demo: %+v", sum)
	biggest := biggestCohort(t, st)
	for _, lang := range []domain.Lang{domain.Indonesian, domain.English} {
		// and the app in a window the size of a 1024×768 screen's
		h := newShell(t, st, Options{}, "nav.dashboard")
		t.Cleanup(h.shell.Close)
		h.shell.SetLang(lang)
		h.win.Resize(fyne.NewSize(1024, 768))
		for _, key := range h.shell.NavKeys() {
			// when each screen is shown, and each of its tabs
			sc := h.shell.Navigate(key)
			h.ui.Settle(t)
			body := h.shell.body.Size()
			check := func(what string) {
				t.Helper()
				// then what it needs fits the room the window gives it
				if min := sc.Content().MinSize(); min.Width > body.Width || min.Height > body.Height {
					t.Errorf("%s %s needs %v, the window gives it %v", lang, what, min, body)
				}
			}
			check(i18n.T(key))
			everyTab := func(what string) {
				t.Helper()
				for _, tabs := range appTabs(sc.Content()) {
					for i := range tabs.Items {
						tabs.SelectIndex(i)
						h.ui.Settle(t)
						check(fmt.Sprintf("%s › %s", what, tabs.Items[i].Text))
					}
				}
			}
			everyTab(i18n.T(key))
			if ps, ok := sc.(*programmes.Screen); ok {
				// and on the programme screen with its biggest cohort
				// chosen: roster, attendance and results grid full
				ps.ShowCohort(biggest)
				h.ui.Settle(t)
				everyTab(fmt.Sprintf("%s › %d/%d", i18n.T(key), biggest.Year, biggest.Number))
			}
		}
		if w := h.win.Canvas().Size(); w.Width > 1024 || w.Height > 768 {
			t.Errorf("%s: the window grew to %v", lang, w)
		}
	}
}

// biggestCohort is the cohort with the most enrollments.
func biggestCohort(t *testing.T, st *store.Store) *domain.Cohort {
	t.Helper()
	ctx := context.Background()
	n := map[string]int{}
	err := st.EachRecord(ctx, "enrollments", func(r domain.Record) error {
		n[r.(*domain.Enrollment).CohortID]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	best := ""
	for id, c := range n {
		if best == "" || c > n[best] || (c == n[best] && id < best) {
			best = id
		}
	}
	cs, err := store.ListOf[*domain.Cohort](ctx, st, store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range cs {
		if k.ID == best {
			t.Logf("biggest cohort %d/%d: %d trainees", k.Year, k.Number, n[best])
			return k
		}
	}
	t.Fatalf("no cohort with enrollments among %d", len(cs))
	return nil
}
