/*
How a record screen is built with the kit (app/instructors is the worked
example; app/funding adds unreadable numbers, choices and totals; read them
beside this).

 1. The screen embeds a *kit.Records[T] and holds its form's inputs:

    type Screen struct {
    *kit.Records[*domain.Instructor]
    name, nik *kit.Entry
    }

 2. New hands kit.NewRecords a Spec: what a record looks like, nothing of
    the lifecycle.

    s.Records = kit.NewRecords(deps, kit.Spec[*domain.Instructor]{
    Columns:  []widgets.Column[*domain.Instructor]{{Title: …, Text: …, Key: "name"}}, // Key: sorts in the store
    OrderBy:  "name",                       // first order
    SearchIn: []string{"name", "nik"},      // the search box looks here (store.Query.Search)
    Tables:   []string{"instructors"},      // a change to these reloads the list
    Fields:   func(f *kit.Form) { s.name = f.Entry("name", i18n.T("instr.name"), "") },
    Blank:    func() *domain.Instructor { return &domain.Instructor{} },
    Fill:     func(in *domain.Instructor) { s.name.SetText(in.Name) },
    Read:     func(in *domain.Instructor) domain.Problems { in.Name = s.name.Text; return nil },
    CountText: …, NewLabel: …, Fix: …, Saved: …, ConfirmDelete: …, Deleted: …,
    })

    Optional: Check (the screen's own findings beside the domain's),
    CheckOnOpen, Extra (choices read with each Update, applied on the UI
    goroutine), Count (a count line of its own, e.g. with a total),
    Narrow and Tools (conditions chosen on the screen, e.g. a year),
    SplitOffset. A list whose rows are not one table's records (app/tracer:
    graduates due a call, a join, paged after the last row shown) sets
    List (reads a page given the last row shown) with Count, and Stores
    (the record a row's form is checked and saved as); Head and Foot put
    objects above and below the form (a contact line, a second form).

 3. What Records does with it:
    - the list is a widgets.Table paged over the store (Spec.PageSize rows
    a query, the next page when the operator scrolls near the end);
    - the search box and a tapped header reload from the first page, in
    the store (store.Query Search/SearchIn, OrderBy/Desc);
    - the rows are shown as soon as they are read, the count line after
    them (counting a long list takes as long as reading a page);
    - every load runs off the UI goroutine through deps' Runner and a load
    overtaken by a newer one, or landing after Close, is dropped (Loader);
    - selecting a row fills the form (Fill, with Check off); the open record
    is marked bold in the list;
    - Save (button, or Enter in any entry) runs Read and the domain's
    validation: problems show beside their fields in a line reserved under
    each (nothing moves), the form scrolls to the first invalid field, and
    nothing is saved; otherwise the store saves it off the UI goroutine,
    the form shows it as stored, and deps.Changed is called;
    - Delete asks first (ConfirmDelete), then tombstones it off the UI goroutine;
    - Escape in an entry, Ctrl+N (NewRecord) and the New button empty the form;
    - DataChanged (screen.Watcher) reloads when one of Spec.Tables changed,
    as many rows as were shown (the scroll position stays), keeping the
    open record marked and the form as typed;
    - the form goes under the list when the window is narrower than
    Spec.NarrowWidth.

 4. The store: Records reaches it only through kit.Store (List, Count,
    Save, Delete, Rules), which *store.Store satisfies. A screen declares
    its own Store interface on it with the few reads it adds (funding:
    CohortLabels, EachRecord; kemandirian: KemandirianFigures), takes that in
    its constructor and hands it to NewRecords (screen.Deps carries no
    store), reads with store.ListOf, and takes the clock (Now) from it: no
    screen on the kit needs sync, backups or meta.

 5. Screens that are not one list and one form still use the pieces: Form
    (fields with reserved problem lines, Enter/Escape, ShowAndScroll),
    Choice, Load/Loader, Save, ConfirmDelete, and screen.RunLong for long
    work with progress and cancel.

Never call go or fyne.Do in a screen: use s.deps.Go and s.deps.Do, so tests
(app/internal/uitest.Runner: Settle, Until, Next) keep the goroutine
boundary real and -race can see a store call on the UI goroutine. Texts
come from the catalogue (i18n.T); kit's own are in msg/id/kit.json,
msg/id/kitlist.json and their msg/en twins.
*/
package kit
