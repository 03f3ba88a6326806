// Package bnspimport reads back the list an LSP (Lembaga Sertifikasi
// Profesi) sends after a competency test — NIK, name, certificate number,
// scheme, dates — and records each BNSP competency certificate on the
// trainee with that NIK (domain.CompetencyCertificate). As the trainee
// import does, it never attaches a certificate to another person: a row
// whose name differs from the person registered under its NIK
// (domain.SameName) is held back for the operator to confirm. It reads the
// file through package exchange and writes through the store, in one
// transaction; it does no other I/O.
package bnspimport

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange"
	"github.com/kemnaker/blk/msg"
	"github.com/kemnaker/blk/store"
)

// RowStatus is what the import did with one row.
type RowStatus string

const (
	RowImported  RowStatus = "imported"  // a new certificate recorded
	RowUpdated   RowStatus = "updated"   // the certificate was recorded; the row changed its scheme, LSP or dates
	RowUnchanged RowStatus = "unchanged" // the certificate was recorded as the row says
	RowHeld      RowStatus = "held"      // not saved: the name differs from the person under the NIK
	RowRefused   RowStatus = "refused"   // not saved; Reasons say why
)

// Options steer an import.
type Options struct {
	Lang domain.Lang
	// ApplyHeld says, by the row's line as the spreadsheet shows it, which
	// held rows the operator has checked and wants applied anyway. Nil
	// holds them all.
	ApplyHeld func(line int) bool
	// Progress, when set, is called after each row with (done, total).
	Progress func(done, total int)
}

// Row is the outcome of one line of the list.
type Row struct {
	Line      int       `json:"row"`
	Status    RowStatus `json:"status"`
	NIK       string    `json:"nik"`
	Name      string    `json:"name"`
	Number    string    `json:"certificate_no"`
	TraineeID string    `json:"trainee_id,omitempty"`
	Reasons   []string  `json:"reasons,omitempty"`
}

// Report is what an import did, row by row, with honest counts: every
// data row is counted once, in exactly one of them.
type Report struct {
	File       string `json:"file"`
	HeaderLine int    `json:"header_row"`
	Rows       []Row  `json:"rows"`
	Imported   int    `json:"imported"`
	Updated    int    `json:"updated"`
	Unchanged  int    `json:"unchanged"`
	Held       int    `json:"held"`
	Refused    int    `json:"refused"`
}

// AllRefused reports whether not a single row could be saved.
func (r *Report) AllRefused() bool { return len(r.Rows) > 0 && r.Refused == len(r.Rows) }

// Summary is the one-line outcome in lang.
func (r *Report) Summary(lang domain.Lang) string {
	n := func(v int) string { return msg.N(lang, v) }
	return msg.T(lang, "bnsp.summary", msg.Count(lang, "count.rows", len(r.Rows)),
		n(r.Imported), n(r.Updated), n(r.Unchanged), n(r.Held), n(r.Refused))
}

// StatusLabel is a row's status as the operator reads it.
func StatusLabel(s RowStatus, lang domain.Lang) string { return msg.T(lang, "bnsp.status."+string(s)) }

// FileError is a file that could not be read as an LSP list at all; its
// text is in the user's language.
type FileError struct {
	Text string
	Err  error
}

func (e *FileError) Error() string { return e.Text }
func (e *FileError) Unwrap() error { return e.Err }

// Fields of the list, as headerAliases name them.
const (
	colNIK     = "nik"
	colName    = "name"
	colNumber  = "certificate_no"
	colScheme  = "scheme"
	colLSP     = "lsp"
	colIssued  = "issued_on"
	colExpires = "expires_on"
)

// headerAliases maps folded header spellings (headerKey) to fields: what
// LSP lists and BNSP's registry exports call their columns.
var headerAliases = map[string]string{
	"nik": colNIK, "noktp": colNIK, "nomorktp": colNIK, "nomorindukkependudukan": colNIK, "noidentitas": colNIK,
	"nama": colName, "namalengkap": colName, "namapeserta": colName, "namaasesi": colName, "name": colName, "fullname": colName,
	"nosertifikat": colNumber, "nomorsertifikat": colNumber, "noseri": colNumber, "noregistrasi": colNumber,
	"noregistrasisertifikat": colNumber, "nomorregistrasi": colNumber, "noblanko": colNumber, "certificateno": colNumber,
	"certificatenumber": colNumber, "nosertifikatbnsp": colNumber,
	"skema": colScheme, "skemasertifikasi": colScheme, "namaskema": colScheme, "scheme": colScheme, "certificationscheme": colScheme,
	"lsp": colLSP, "namalsp": colLSP, "lembagasertifikasiprofesi": colLSP,
	"tanggalterbit": colIssued, "tglterbit": colIssued, "tanggalsertifikat": colIssued, "tglsertifikat": colIssued,
	"tanggalterbitsertifikat": colIssued, "issuedon": colIssued, "issuedate": colIssued, "tanggalditerbitkan": colIssued,
	"berlakusampai": colExpires, "berlakuhingga": colExpires, "masaberlaku": colExpires, "tanggalkedaluwarsa": colExpires,
	"tanggalkadaluarsa": colExpires, "tglkadaluarsa": colExpires, "expireson": colExpires, "expirydate": colExpires,
	"validuntil": colExpires, "masaberlakusampai": colExpires,
}

func headerKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// headerScan is how far down a title block may push the header row.
const headerScan = 30

// findHeader is the first row naming a NIK and a certificate number column.
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
		_, nik := cols[colNIK]
		_, no := cols[colNumber]
		if nik && no {
			return r, cols
		}
	}
	return -1, nil
}

// Store is what the import uses: the rules, one write transaction for the
// list, and a single save. *store.Store satisfies it.
type Store interface {
	Rules() domain.Rules
	Save(ctx context.Context, rec domain.Record) (domain.Problems, error)
	Write(ctx context.Context, fn func(*store.Tx) error) error
}

var _ Store = (*store.Store)(nil)

// Import records the certificates of the LSP list at path (.xlsx or .csv).
// Rows are refused (with a reason) when the NIK is missing or not
// registered here, or the certificate is invalid (no number, no scheme, a
// date that cannot be read, expiry before issue); held when the name is
// not the registered person's. Only an unreadable file or a database
// failure is an error.
func Import(ctx context.Context, st Store, path string, opts Options) (*Report, error) {
	lang := opts.Lang
	sheets, err := exchange.ReadSheets(path)
	if errors.Is(err, exchange.ErrFormat) {
		return nil, &FileError{Text: msg.T(lang, "import.format"), Err: err}
	}
	if err != nil {
		return nil, &FileError{Text: msg.T(lang, "import.unreadable", path, err), Err: err}
	}
	var sh *exchange.Sheet
	var cols map[string]int
	rep := &Report{File: path}
	for _, s := range sheets {
		if line, c := findHeader(s); line >= 0 {
			sh, cols, rep.HeaderLine = s, c, line+1
			break
		}
	}
	if sh == nil {
		return nil, &FileError{Text: msg.T(lang, "bnsp.no_header", headerScan)}
	}
	now := st.Rules().Now
	cell := func(r int, f string) string {
		c, ok := cols[f]
		if !ok {
			return ""
		}
		return sh.Cell(r, c)
	}
	date := func(r int, f string) (string, bool) {
		v := cell(r, f)
		if v == "" {
			return "", true
		}
		if c, ok := cols[f]; ok && sh.Numeric != nil && sh.Numeric(r, c) {
			if serial, err := strconv.ParseFloat(v, 64); err == nil {
				return excelSerialDate(serial)
			}
		}
		return domain.ReadDate(v, now)
	}
	err = st.Write(ctx, func(tx *store.Tx) error {
		for r := rep.HeaderLine; r < len(sh.Rows); r++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			if opts.Progress != nil {
				opts.Progress(r-rep.HeaderLine+1, len(sh.Rows)-rep.HeaderLine)
			}
			row := Row{Line: r + 1, NIK: digitsOnly(cell(r, colNIK)), Name: cell(r, colName), Number: cell(r, colNumber)}
			if row.NIK == "" && row.Name == "" && row.Number == "" {
				continue // a blank line, or a footer under the list
			}
			refuse := func(key string, args ...any) {
				row.Status = RowRefused
				row.Reasons = append(row.Reasons, msg.T(lang, key, args...))
			}
			c := &domain.CompetencyCertificate{Number: row.Number, Scheme: cell(r, colScheme), LSP: cell(r, colLSP)}
			var ok bool
			if c.IssuedOn, ok = date(r, colIssued); !ok {
				refuse("bnsp.bad_date", domain.FieldLabel("issued_on", lang), cell(r, colIssued))
			}
			if c.ExpiresOn, ok = date(r, colExpires); !ok {
				refuse("bnsp.bad_date", domain.FieldLabel("expires_on", lang), cell(r, colExpires))
			}
			var t *domain.Trainee
			if row.NIK == "" {
				refuse("bnsp.no_nik")
			} else if t, err = tx.TraineeByNIK(row.NIK); err != nil {
				return err
			} else if t == nil {
				refuse("bnsp.unknown_nik", row.NIK)
			}
			if row.Status == RowRefused {
				rep.add(row)
				continue
			}
			row.TraineeID = t.ID
			if row.Name != "" && !domain.SameName(row.Name, t.Name) && (opts.ApplyHeld == nil || !opts.ApplyHeld(row.Line)) {
				row.Status = RowHeld
				row.Reasons = append(row.Reasons, msg.T(lang, "bnsp.other_person", row.Name, t.Name))
				rep.add(row)
				continue
			}
			c.TraineeID = t.ID
			domain.Normalize(c)
			domain.AssignNaturalID(c)
			before := &domain.CompetencyCertificate{}
			before.ID = c.ID
			existed := tx.Get(before) == nil && !before.Deleted
			if existed && before.Scheme == c.Scheme && before.LSP == c.LSP && before.IssuedOn == c.IssuedOn && before.ExpiresOn == c.ExpiresOn {
				row.Status = RowUnchanged
				rep.add(row)
				continue
			}
			if _, err := tx.Save(c); err != nil {
				var ve *domain.ValidationError
				if !errors.As(err, &ve) {
					return fmt.Errorf("bnsp row %d: %w", row.Line, err)
				}
				for _, p := range ve.Problems {
					if p.Level == domain.Invalid {
						row.Reasons = append(row.Reasons, domain.FieldLabel(p.Field, lang)+": "+p.Message(lang))
					}
				}
				row.Status = RowRefused
				rep.add(row)
				continue
			}
			row.Status = RowImported
			if existed {
				row.Status = RowUpdated
			}
			rep.add(row)
		}
		return nil
	})
	if err != nil {
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
	case RowHeld:
		r.Held++
	case RowRefused:
		r.Refused++
	}
}

func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// excelSerialDate converts an Excel day number (1900 system) to ISO.
func excelSerialDate(serial float64) (string, bool) {
	if serial < 1 || serial > 2958465 {
		return "", false
	}
	t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(serial))
	return t.Format(domain.DateLayout), true
}
