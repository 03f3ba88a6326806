/*
How a record screen is built with the kit (app/instructors is the worked
example; read it beside this).

 1. The screen's struct holds screen.Deps, a kit.Loader, its list (a
    widgets.Table over an in-memory page of rows) and a *kit.Form.

 2. Build the form once, in New:

    s.form = kit.New()
    s.name = s.form.Entry("name", i18n.T("instr.name"), "")   // field = domain field name
    s.kind = s.form.Select("type", i18n.T("partners.type"), "partners.type")
    s.form.Check = func() domain.Problems { r := s.record(); domain.Normalize(r); return domain.Validate(r, deps.Store.Rules()) }
    s.form.Submit = s.save                  // Enter in any entry
    s.form.Cancel = func() { s.edit(nil) }  // Escape in any entry
    s.root = kit.Layout(newBtn, s.count, s.table, s.form, []fyne.CanvasObject{save, del}, s.status, 0.45)

    Every field has a problem line reserved under it, so nothing moves when
    one appears; problems of fields the form lacks go under the first
    field. kit.Layout scrolls the form alone and keeps the buttons in view.

 3. Load in Update, off the UI goroutine, with the stale-load guard:

    kit.Load(&s.loads, s.deps, ctx, fetch, show)

    fetch runs on a goroutine of the screen's Runner and reads the store;
    show runs on the UI goroutine and is skipped when a newer Load started
    or the screen was closed (Close calls s.loads.Close()).

 4. Save and delete:

    kit.Save(s.deps, rec, func(warnings, refused domain.Problems) { … })
    kit.ConfirmDelete(s.deps, i18n.T("instr.confirm_delete", name), rec, func() { … })

    On a refusal call s.form.ShowAndScroll(refused): it marks the fields and
    scrolls to the first invalid one. Both call deps.Changed.

 5. Refresh when the data changes: implement screen.Watcher,

    func (s *Screen) DataChanged(ctx context.Context, c store.Changed) {
    if c.Has("instructors") { s.Update(ctx) }
    }

    The shell calls it on the screen on show after any committed write
    (this screen's, an import, a pull). Keep the form as typed; reload the
    rows (widgets.Table.SetRows keeps the scroll position).

 6. Long work (an import, a report) goes through
    screen.RunLong(s.deps.Run, …): progress and cancel.

Never call go or fyne.Do in a screen: use s.deps.Go and s.deps.Do, so tests
(app/internal/uitest.Runner: Settle, Until, Next) keep the goroutine
boundary real and -race can see a store call on the UI goroutine. Texts
come from the catalogue (i18n.T); kit's own are in msg/id/kit.json and msg/en/kit.json.
*/
package kit
