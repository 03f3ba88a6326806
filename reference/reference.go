// Package reference is the file format of national reference data, the
// vocational fields [kejuruan] and their competency units, and its one
// parser. The catalogue every desktop ships (assets/catalogue.csv) and
// `blk-server reference import FILE` (.csv or .xlsx) read the same format:
//
//	field_code,field_name_id,field_name_en,unit_code,unit_title,jp
//
// one row per competency unit with its field's columns repeated, and a row
// without unit_code for a field that has no units yet. Columns are found by
// their header, in any order and case; other columns are ignored. Parse
// works on rows of text and does no I/O: the desktop reads the embedded CSV,
// the server reads files with exchange.ReadReference.
package reference

import (
	"errors"
	"strconv"
	"strings"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/msg"
)

// Columns are the format's headers, in the order the catalogue writes them.
var Columns = []string{"field_code", "field_name_id", "field_name_en", "unit_code", "unit_title", "jp"}

// ErrNotReference is what an Error wraps when the rows hold no reference
// table at all (no header with the columns, or nothing under it), as
// opposed to a table with a wrong row.
var ErrNotReference = errors.New("no reference table")

// Error is a file that does not follow the format, with what to fix in
// Indonesian and English.
type Error struct {
	Line   int // 1-based, counting every row; 0 for the whole file
	ID, EN string
	kind   error
}

func (e *Error) Error() string { return e.EN }
func (e *Error) Unwrap() error { return e.kind }

// Localized is the message in lang.
func (e *Error) Localized(lang domain.Lang) string {
	if lang == domain.English {
		return e.EN
	}
	return e.ID
}

// errorf makes an Error from the catalogue's text of key (reference.*)
// and its arguments.
func errorf(line int, key string, args ...any) *Error {
	return &Error{Line: line, ID: msg.T(msg.Indonesian, key, args...), EN: msg.T(msg.English, key, args...)}
}

// Parse reads reference records from rows of text (a file whose header
// is ThresholdColumns holds the road map's thresholds instead), the header row first
// (blank rows anywhere are skipped): each vocational field once, where it
// first appears, followed by the units of that and later rows. Records
// carry no ids (domain.AssignNaturalID derives them from the codes). Every
// record passes domain.Validate; the first row that does not follow the
// format or the rules is the error, so a file goes in whole or not at all.
func Parse(rows [][]string) ([]domain.Record, error) {
	header := -1
	for i, r := range rows {
		if !blank(r) {
			header = i
			break
		}
	}
	if header < 0 {
		return nil, notReference(errorf(0, "reference.empty"))
	}
	col := map[string]int{}
	for i, h := range rows[header] {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	if isThresholds(col) {
		return parseThresholds(rows, header, col)
	}
	for _, need := range Columns {
		if _, ok := col[need]; !ok {
			return nil, notReference(errorf(header+1, "reference.no_header", need, strings.Join(Columns, ", ")))
		}
	}
	type seen struct {
		line int
		f    *domain.VocationalField
	}
	fields := map[string]seen{}
	units := map[[2]string]int{}
	var out []domain.Record
	for i := header + 1; i < len(rows); i++ {
		row, line := rows[i], i+1
		if blank(row) {
			continue
		}
		get := func(name string) string {
			if c := col[name]; c < len(row) {
				return strings.TrimSpace(row[c])
			}
			return ""
		}
		code := get("field_code")
		if code == "" {
			return nil, errorf(line, "reference.no_field", line)
		}
		f := &domain.VocationalField{Code: code, NameID: get("field_name_id"), NameEN: get("field_name_en")}
		if first, ok := fields[code]; !ok {
			if err := valid(line, f); err != nil {
				return nil, err
			}
			fields[code] = seen{line, f}
			out = append(out, f)
		} else if f.NameID != first.f.NameID || f.NameEN != first.f.NameEN {
			return nil, errorf(line, "reference.field_names", line, code, f.NameID, f.NameEN, first.line, first.f.NameID, first.f.NameEN)
		}
		unit, title, jp := get("unit_code"), get("unit_title"), get("jp")
		if unit == "" {
			if title != "" || jp != "" {
				return nil, errorf(line, "reference.unitless", line)
			}
			continue
		}
		n, err := strconv.ParseInt(jp, 10, 64)
		if err != nil {
			return nil, errorf(line, "reference.jp", line, jp)
		}
		if first, ok := units[[2]string{code, unit}]; ok {
			return nil, errorf(line, "reference.unit_twice", line, unit, code, first)
		}
		units[[2]string{code, unit}] = line
		u := &domain.CompetencyUnit{FieldCode: code, Code: unit, Title: title, JP: n}
		if err := valid(line, u); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	if len(out) == 0 {
		return nil, notReference(errorf(0, "reference.empty"))
	}
	return out, nil
}

func notReference(e *Error) *Error {
	e.kind = ErrNotReference
	return e
}

// valid applies the domain's rules to one record of the file.
func valid(line int, rec domain.Record) error {
	ps := domain.Validate(rec, domain.Rules{})
	if !ps.Invalid() {
		return nil
	}
	return &Error{Line: line,
		ID: msg.T(msg.Indonesian, "reference.invalid", line, ps.Text(domain.Indonesian)),
		EN: msg.T(msg.English, "reference.invalid", line, ps.Text(domain.English))}
}

func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
