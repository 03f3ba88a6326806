// Package traineeimport reads trainees from the spreadsheets centres keep
// (.xlsx or .csv, as people make them: title blocks, Indonesian headers,
// dates in any spelling, NIKs typed as numbers) and upserts them by NIK into
// the desktop store, with a row-by-row report of what was saved, flagged or
// refused and why. It writes only through store.Write and Tx.Save, so every
// domain and store rule applies and one file is one transaction; it holds
// no SQL and no validation rule of its own (it only reads spellings). Only
// the desktop links it.
package traineeimport

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange"
	"github.com/kemnaker/blk/msg"
	"github.com/kemnaker/blk/store"
)

// RowStatus is what an import did with one row.
type RowStatus string

const (
	RowImported  RowStatus = "imported"  // a new trainee
	RowUpdated   RowStatus = "updated"   // an existing trainee (same NIK) changed
	RowUnchanged RowStatus = "unchanged" // an existing trainee, nothing new in the row
	RowFlagged   RowStatus = "flagged"   // saved (new or updated) with warnings
	RowHeld      RowStatus = "held"      // not saved: the NIK is someone else's (name, sex or birth date differ)
	RowRefused   RowStatus = "refused"   // not saved; Reasons say why
)

// Options steer an import.
type Options struct {
	// Lang is the language of the reasons in the report.
	Lang domain.Lang
	// Preview parses and validates every row against the database exactly
	// as an import would, then rolls back: nothing is saved.
	Preview bool
	// Progress, when set, is called after each row with (done, total).
	Progress func(done, total int)
	// ApplyHeld says, by the row's line as the spreadsheet shows it,
	// which rows the operator has looked at and wants applied although
	// their NIK belongs to a person of another name, sex or birth date.
	// Every other such row is held back, unsaved. Nil holds them all.
	ApplyHeld func(line int) bool
}

// ApplyLines is an ApplyHeld that applies the listed lines.
func ApplyLines(lines ...int) func(int) bool {
	set := map[int]bool{}
	for _, l := range lines {
		set[l] = true
	}
	return func(line int) bool { return set[line] }
}

// ApplyAll is an ApplyHeld that applies every held row.
func ApplyAll(int) bool { return true }

// Change is one field an update changes, as the operator reads it.
type Change struct {
	Field string `json:"field"`
	Label string `json:"label"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// Row is the outcome of one spreadsheet row.
type Row struct {
	Line      int       `json:"row"` // 1-based row number as the spreadsheet shows it
	Status    RowStatus `json:"status"`
	NIK       string    `json:"nik"`
	Name      string    `json:"name"`
	TraineeID string    `json:"trainee_id,omitempty"`
	Existing  bool      `json:"existing"` // the NIK was already registered here
	// Identity lists the fields (name, sex, birth_date) in which the row
	// describes another person than the one registered under its NIK.
	Identity []string `json:"identity,omitempty"`
	// Applied is true for a row with Identity that the operator chose to
	// apply anyway (Options.ApplyHeld).
	Applied bool     `json:"applied,omitempty"`
	Changes []Change `json:"changes,omitempty"` // old → new, for an existing trainee
	Reasons []string `json:"reasons,omitempty"`
	cells   []string
}

// Report is what an import did, row by row.
type Report struct {
	File       string            `json:"file"`
	Sheet      string            `json:"sheet"`
	HeaderLine int               `json:"header_row"`
	Columns    map[string]string `json:"columns"` // field → header as written
	Ignored    []string          `json:"ignored_columns,omitempty"`
	Preview    bool              `json:"preview"`
	Rows       []Row             `json:"rows"`
	Skipped    []int             `json:"skipped_rows,omitempty"` // footer lines under the list
	Imported   int               `json:"imported"`
	Updated    int               `json:"updated"`
	Unchanged  int               `json:"unchanged"`
	Flagged    int               `json:"flagged"`
	Held       int               `json:"held"`
	Refused    int               `json:"refused"`
	header     []string
	lang       domain.Lang
}

// AllRefused reports whether not a single row could be saved.
func (r *Report) AllRefused() bool { return len(r.Rows) > 0 && r.Refused == len(r.Rows) }

// errPreview rolls back a preview's transaction.
var errPreview = errors.New("preview: roll back")

// quietColumns are expected columns an import does not need: row numbers,
// the export's id column, the refusal report's Keterangan.
var quietColumns = map[string]bool{"no": true, "nomor": true, "nourut": true, "id": true, "keterangan": true}

// headerScan is how far down a title block may push the header row.
const headerScan = 30

// Store is what an import uses: the rules that check a row and one write
// transaction for the whole file. *store.Store satisfies it.
type Store interface {
	Rules() domain.Rules
	Write(ctx context.Context, fn func(*store.Tx) error) error
}

var _ Store = (*store.Store)(nil)

// Preview is Import with Preview set: the report of what an
// import would do, and nothing saved.
func Preview(ctx context.Context, st Store, path string, opts Options) (*Report, error) {
	opts.Preview = true
	return Import(ctx, st, path, opts)
}

// Import reads trainees from an .xlsx or .csv file and upserts them
// by NIK in one transaction: valid rows are saved (with warnings flagged),
// invalid rows are refused with reasons, and a cancel or error half-way
// saves nothing. The error is a *FileError when the file cannot be read at
// all; refused rows are not an error.
func Import(ctx context.Context, st Store, path string, opts Options) (*Report, error) {
	lang := opts.Lang
	fileErr := func(text string, err error) error { return &FileError{Path: path, Text: text, Err: err} }
	sheets, err := exchange.ReadSheets(path)
	if errors.Is(err, exchange.ErrFormat) {
		return nil, fileErr(msg.T(lang, "import.format"), err)
	}
	if err != nil {
		return nil, fileErr(msg.T(lang, "import.unreadable", path, err), err)
	}
	rep := &Report{File: path, Preview: opts.Preview, Columns: map[string]string{}, lang: lang}
	var sh *exchange.Sheet
	var cols map[string]int
	for _, s := range sheets {
		if line, c := findHeader(s); line >= 0 {
			sh, cols, rep.HeaderLine = s, c, line+1
			break
		}
	}
	if sh == nil {
		return nil, fileErr(msg.T(lang, "import.no_header", headerScan), nil)
	}
	rep.Sheet = sh.Name
	rep.header = sh.Rows[rep.HeaderLine-1]
	for i, h := range rep.header {
		if f, ok := fieldOf(cols, i); ok {
			rep.Columns[f] = strings.TrimSpace(h)
		} else if h = strings.TrimSpace(h); h != "" && !quietColumns[headerKey(h)] {
			rep.Ignored = append(rep.Ignored, h)
		}
	}
	data := dataLines(sh, rep.HeaderLine, cols, rep)
	if len(data) == 0 {
		return nil, fileErr(msg.T(lang, "import.no_rows"), nil)
	}
	imp := &importer{sh: sh, cols: cols, lang: lang, rules: st.Rules(), firstLine: map[string]int{}, applyHeld: opts.ApplyHeld}
	imp.now = imp.rules.Now
	err = st.Write(ctx, func(tx *store.Tx) error {
		for i, line := range data {
			if err := ctx.Err(); err != nil {
				return err
			}
			row, err := imp.row(tx, line)
			if err != nil {
				return fmt.Errorf("import row %d: %w", line+1, err)
			}
			rep.add(row)
			if opts.Progress != nil {
				opts.Progress(i+1, len(data))
			}
		}
		if opts.Preview {
			return errPreview
		}
		return nil
	})
	if err != nil && !errors.Is(err, errPreview) {
		return nil, err
	}
	return rep, nil
}

func (r *Report) add(row Row) {
	r.Rows = append(r.Rows, row)
	switch row.Status {
	case RowImported:
		r.Imported++
	case RowUpdated:
		r.Updated++
	case RowUnchanged:
		r.Unchanged++
	case RowFlagged:
		r.Flagged++
	case RowHeld:
		r.Held++
	case RowRefused:
		r.Refused++
	}
}

// findHeader returns the 0-based line of the first row that names both a
// NIK and a name column, and the field → column map; -1 when there is none.
func findHeader(s *exchange.Sheet) (int, map[string]int) {
	for r := 0; r < len(s.Rows) && r < headerScan; r++ {
		cols := map[string]int{}
		for c := range s.Rows[r] {
			if f, ok := headerAliases[headerKey(s.Cell(r, c))]; ok {
				if _, dup := cols[f]; !dup {
					cols[f] = c
				}
			}
		}
		_, nik := cols["nik"]
		_, name := cols["name"]
		if nik && name {
			return r, cols
		}
	}
	return -1, nil
}

func fieldOf(cols map[string]int, c int) (string, bool) {
	for f, i := range cols {
		if i == c {
			return f, true
		}
	}
	return "", false
}

// dataLines lists the 0-based lines under the header that hold trainees:
// blank lines are passed over, and a signature or total line ("Mengetahui,
// Kepala BLK") ends the list.
func dataLines(s *exchange.Sheet, header int, cols map[string]int, rep *Report) []int {
	var out []int
	for r := header; r < len(s.Rows); r++ {
		blank := true
		for c := range s.Rows[r] {
			if s.Cell(r, c) != "" {
				blank = false
				break
			}
		}
		if blank {
			continue
		}
		if isColumnNumbering(s.Rows[r]) {
			rep.Skipped = append(rep.Skipped, r+1)
			continue
		}
		if digits(s.Cell(r, cols["nik"])) < 10 && isFooter(s.Rows[r]) {
			for ; r < len(s.Rows); r++ {
				rep.Skipped = append(rep.Skipped, r+1)
			}
			break
		}
		out = append(out, r)
	}
	return out
}

func digits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

type importer struct {
	rules     domain.Rules
	sh        *exchange.Sheet
	cols      map[string]int
	lang      domain.Lang
	now       time.Time
	firstLine map[string]int // NIK → first line it appeared on
	applyHeld func(line int) bool
}

// row reads, validates and (unless refused) saves one line of the sheet.
// Only a database failure is returned as an error; bad data is a refusal.
func (imp *importer) row(tx *store.Tx, line int) (Row, error) {
	s, lang := imp.sh, imp.lang
	row := Row{Line: line + 1}
	row.cells = make([]string, len(s.Rows[line]))
	copy(row.cells, s.Rows[line])
	in := &domain.Trainee{}
	table := domain.TableOf(in)
	var reasons, notes []string
	bad := map[string]bool{}
	present := map[string]bool{}
	combined := map[string]string{}
	if c, ok := imp.cols[placeAndDate]; ok {
		combined["birth_place"], combined["birth_date"] = splitPlaceDate(s.Cell(line, c))
	}
	for _, f := range importFields {
		c, ok := imp.cols[f]
		v, numeric := "", false
		switch {
		case ok:
			v, numeric = s.Cell(line, c), s.Numeric(line, c)
		case combined[f] != "":
			v, c = combined[f], -1
		}
		if v == "" {
			continue
		}
		if !numeric {
			v = exchange.UnguardFormula(v)
		}
		switch f {
		case "nik", "kk":
			if numeric || reScientific.MatchString(v) {
				reasons = append(reasons, msg.T(lang, "import.nik_number", domain.FieldLabel(f, lang), v))
				bad[f] = true
			}
		case "birth_date":
			iso, ok := "", false
			if numeric {
				if n, err := strconv.ParseFloat(v, 64); err == nil {
					iso, ok = excelSerialDate(n)
				}
			} else {
				iso, ok = parseDate(v, imp.now)
			}
			if !ok {
				reasons = append(reasons, msg.T(lang, "import.date_unreadable", domain.FieldLabel(f, lang), v))
				bad[f] = true
				continue
			}
			v = iso
			if c >= 0 {
				row.cells[c] = iso
			}
		case "sex":
			v = parseSex(v)
			if v != "L" && v != "P" {
				// The NIK says it; an unknown spelling never refuses a person.
				if n, ps := domain.DecodeNIK(in.NIK, imp.now); ps == nil {
					reasons := msg.T(lang, "import.sex_from_nik", v, domain.ChoiceLabel("trainees.sex", n.Sex, lang))
					notes = append(notes, reasons)
					v = n.Sex
				}
			}
		case "education":
			v = parseChoice("trainees.education", v)
		case "grp":
			v = parseChoice("trainees.grp", v)
		default:
			if numeric {
				v = wholeNumber(v)
				if f == "phone" && strings.HasPrefix(v, "8") {
					v = "0" + v // the leading zero a number cell drops
				}
			}
		}
		fld, _ := table.Field(f)
		if err := fld.Set(in, v); err != nil {
			return row, err
		}
		present[f] = true
	}
	row.NIK, row.Name = domain.CleanDigits(in.NIK), strings.Join(strings.Fields(in.Name), " ")
	if row.NIK != "" && !bad["nik"] {
		if first, seen := imp.firstLine[row.NIK]; seen {
			reasons = append(reasons, msg.T(lang, "import.nik_twice", first))
		} else {
			imp.firstLine[row.NIK] = row.Line
		}
	}
	if len(reasons) > 0 {
		// Say everything that is wrong at once, so one fix is enough.
		probe := *in
		domain.Normalize(&probe)
		for _, p := range domain.Validate(&probe, imp.rules) {
			if !bad[p.Field] && p.Level == domain.Invalid {
				reasons = append(reasons, problemText(p, lang))
			}
		}
		row.Status, row.Reasons = RowRefused, reasons
		return row, nil
	}
	rec := in
	var before map[string]any
	existing, err := tx.TraineeByNIK(row.NIK)
	if err != nil {
		return row, err
	}
	if existing != nil {
		row.Existing = true
		before = domain.Values(existing)
		// A row may never silently make one person into another: a NIK
		// typed wrong would hand someone's record, and certificate, to
		// a stranger. Such a row waits for the operator's say.
		probe := *in
		domain.Normalize(&probe)
		row.Identity = domain.IdentityChanges(existing, &probe)
		if !slices.Contains(row.Identity, "name") {
			// The same name in another spelling ("SITI AMINAH, S.Pd."):
			// the registered spelling stays; the form changes it.
			delete(present, "name")
		}
		if len(row.Identity) > 0 {
			row.Applied = imp.applyHeld != nil && imp.applyHeld(row.Line)
			if !row.Applied {
				after := *existing
				fill(&after, in, present)
				domain.Normalize(&after)
				row.Changes = changes(before, domain.Values(&after), lang)
				row.Status, row.Reasons = RowHeld, imp.heldReasons(existing, &probe, row.Identity)
				return row, nil
			}
		}
		// Fill in what the row says; a blank cell never erases what is known.
		fill(existing, in, present)
		rec = existing
	}
	warnings, err := tx.Save(rec)
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			if p.Level == domain.Invalid {
				row.Reasons = append(row.Reasons, problemText(p, lang))
			}
		}
		row.Status = RowRefused
		return row, nil
	}
	if err != nil {
		return row, err
	}
	row.TraineeID = rec.Base().ID
	if row.Existing {
		row.Changes = changes(before, domain.Values(rec), lang)
	}
	if row.Applied {
		row.Reasons = append(row.Reasons, imp.heldReasons(nil, in, row.Identity)...)
	}
	row.Reasons = append(row.Reasons, notes...)
	for _, p := range warnings {
		row.Reasons = append(row.Reasons, problemText(p, lang))
	}
	changed := !row.Existing || !sameValues(before, domain.Values(rec))
	switch {
	case changed && len(warnings)+len(notes) > 0:
		row.Status = RowFlagged
	case !row.Existing:
		row.Status = RowImported
	case changed:
		row.Status = RowUpdated
	default:
		row.Status = RowUnchanged
	}
	return row, nil
}

// fill copies the fields the row holds (present) from in to rec.
func fill(rec, in *domain.Trainee, present map[string]bool) {
	table := domain.TableOf(rec)
	for f := range present {
		fld, _ := table.Field(f)
		_ = fld.Set(rec, fld.Get(in))
	}
}

// heldReasons says, field by field, how the row's person differs from the
// registered one: "NIK sama, nama berbeda: terdaftar «Siti», di file
// «Rina»". With stored nil (a held row applied), it says it was applied.
func (imp *importer) heldReasons(stored, in *domain.Trainee, fields []string) []string {
	if stored == nil {
		return []string{msg.T(imp.lang, "import.held.applied")}
	}
	var out []string
	for _, f := range fields {
		fld, _ := domain.TableOf(stored).Field(f)
		out = append(out, msg.T(imp.lang, "import.held."+f,
			showValue(f, fmt.Sprint(fld.Get(stored)), imp.lang), showValue(f, fmt.Sprint(fld.Get(in)), imp.lang)))
	}
	return out
}

// changes lists the data fields whose value differs between before and
// after, in the schema's order, as the operator reads them.
func changes(before, after map[string]any, lang domain.Lang) []Change {
	var out []Change
	for _, f := range domain.TableOf(&domain.Trainee{}).DataFields() {
		o, n := fmt.Sprint(before[f.Name]), fmt.Sprint(after[f.Name])
		if o == n || f.Name == "centre_id" || f.Name == "deleted" {
			continue
		}
		out = append(out, Change{Field: f.Name, Label: domain.FieldLabel(f.Name, lang), Old: showValue(f.Name, o, lang), New: showValue(f.Name, n, lang)})
	}
	return out
}

// showValue renders a stored value as the operator reads it: choices by
// their label, dates as 17-08-2001.
func showValue(field, v string, lang domain.Lang) string {
	if v == "" {
		return "–"
	}
	fld, _ := domain.TableOf(&domain.Trainee{}).Field(field)
	switch {
	case fld.Date:
		return domain.ShowDate(v)
	case fld.Choices != nil:
		return domain.ChoiceLabel("trainees."+field, v, lang)
	}
	return v
}

func problemText(p domain.Problem, lang domain.Lang) string {
	return domain.FieldLabel(p.Field, lang) + ": " + p.Message(lang)
}

func sameValues(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// wholeNumber renders a number cell such as "3201011001" or "4.0111E+4"
// as the digits people typed.
func wholeNumber(v string) string {
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || n != float64(int64(n)) {
		return v
	}
	return strconv.FormatInt(int64(n), 10)
}
