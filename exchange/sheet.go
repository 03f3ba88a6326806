package exchange

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	pathpkg "path"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Sheet is a spreadsheet read into memory: the rows of text as stored
// (xlsx raw values, so dates arrive as day numbers) and, for xlsx, which
// cells hold numbers rather than text. Imports read files through it:
// trainees (package traineeimport) and reference data.
type Sheet struct {
	Name    string
	Rows    [][]string
	Numeric func(row, col int) bool // 0-based; false for csv
}

// Cell is the trimmed text of one cell, 0-based; "" outside the rows.
func (s *Sheet) Cell(row, col int) string {
	if row < 0 || row >= len(s.Rows) || col < 0 || col >= len(s.Rows[row]) {
		return ""
	}
	return strings.TrimSpace(s.Rows[row][col])
}

// ErrFormat is a file that is neither .xlsx nor .csv.
var ErrFormat = errors.New("unsupported file format")

// ReadSheets opens an .xlsx or .csv file and returns its sheets in order.
func ReadSheets(path string) ([]*Sheet, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		return readXLSX(path)
	case ".csv", ".txt":
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return readCSV(data)
	}
	return nil, ErrFormat
}

// readXLSX reads every sheet with excelize's row iterator, which streams
// the worksheet XML instead of building excelize's model of it: a
// 100,000-row file then costs its text, not a gigabyte (asking excelize
// for each cell's type loads the whole model). The cell types come from
// a second streaming pass over the same XML (numericCells).
func readXLSX(path string) ([]*Sheet, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	parts, err := sheetParts(path)
	if err != nil {
		return nil, err
	}
	var out []*Sheet
	for _, name := range f.GetSheetList() {
		rows, err := readRows(f, name)
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %w", name, err)
		}
		numeric, err := numericCells(path, parts[name])
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %w", name, err)
		}
		out = append(out, &Sheet{Name: name, Rows: rows, Numeric: func(r, c int) bool {
			return r < len(numeric) && c/64 < len(numeric[r]) && numeric[r][c/64]&(1<<(c%64)) != 0
		}})
	}
	return out, nil
}

// readRows is f.GetRows(name) (raw values, trailing empty rows left out)
// through the row iterator.
func readRows(f *excelize.File, name string) ([][]string, error) {
	it, err := f.Rows(name)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var rows [][]string
	last := 0
	for it.Next() {
		row, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
		if len(row) > 0 {
			last = len(rows)
		}
	}
	if err := it.Error(); err != nil {
		return nil, err
	}
	return rows[:last], nil
}

// sheetParts maps sheet names to their worksheet part in the package
// (xl/workbook.xml names them, its relationships locate them).
func sheetParts(path string) (map[string]string, error) {
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer z.Close()
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := decodePart(&z.Reader, "xl/workbook.xml", &wb); err != nil {
		return nil, err
	}
	if err := decodePart(&z.Reader, "xl/_rels/workbook.xml.rels", &rels); err != nil {
		return nil, err
	}
	target := map[string]string{}
	for _, r := range rels.Rels {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = pathpkg.Clean("xl/" + t)
		}
		target[r.ID] = t
	}
	out := map[string]string{}
	for _, s := range wb.Sheets {
		out[s.Name] = target[s.RID]
	}
	return out, nil
}

func decodePart(z *zip.Reader, name string, v any) error {
	r, err := openPart(z, name)
	if err != nil {
		return err
	}
	defer r.Close()
	return xml.NewDecoder(r).Decode(v)
}

// openPart opens a part of the package, its name matched without regard to
// case as Excel does.
func openPart(z *zip.Reader, name string) (io.ReadCloser, error) {
	for _, f := range z.File {
		if strings.EqualFold(f.Name, name) {
			return f.Open()
		}
	}
	return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
}

// numericCells streams a worksheet part and marks, per row (0-based) as a
// bit set of columns, the cells that hold a number: a value with no type
// or type "n", as excelize's GetCellType reports Unset or Number.
func numericCells(path, part string) ([][]uint64, error) {
	if part == "" {
		return nil, nil
	}
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer z.Close()
	r, err := openPart(&z.Reader, part)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var out [][]uint64
	d := xml.NewDecoder(r)
	row, col := 0, 0
	numeric, hasValue := false, false
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "row":
				row++
				if v := attr(el, "r"); v != "" {
					if n, err := strconv.Atoi(v); err == nil {
						row = n
					}
				}
				col = 0
			case "c":
				col++
				if ref := attr(el, "r"); ref != "" {
					if c, _, err := excelize.CellNameToCoordinates(ref); err == nil {
						col = c
					}
				}
				t := attr(el, "t")
				numeric, hasValue = t == "" || t == "n", false
			case "v":
				hasValue = true
			}
		case xml.EndElement:
			if el.Name.Local == "c" && numeric && hasValue && row > 0 && col > 0 {
				for len(out) < row {
					out = append(out, nil)
				}
				bits := out[row-1]
				for len(bits) <= (col-1)/64 {
					bits = append(bits, 0)
				}
				bits[(col-1)/64] |= 1 << ((col - 1) % 64)
				out[row-1] = bits
			}
		}
	}
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// readCSV reads comma-, semicolon- or tab-separated text. Excel in an
// Indonesian locale saves with semicolons and in the Windows code page, so
// both are guessed rather than assumed.
func readCSV(data []byte) ([]*Sheet, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		runes := make([]rune, len(data))
		for i, b := range data {
			runes[i] = rune(b) // Latin-1 / Windows-1252 for the letters names use
		}
		data = []byte(string(runes))
	}
	sep := guessSeparator(data)
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sep
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		rows = append(rows, rec)
	}
	return []*Sheet{{Name: "csv", Rows: rows, Numeric: func(int, int) bool { return false }}}, nil
}

func guessSeparator(data []byte) rune {
	head := data
	if len(head) > 8192 {
		head = head[:8192]
	}
	best, bestN := ',', -1
	for _, sep := range []rune{',', ';', '\t'} {
		if n := bytes.Count(head, []byte(string(sep))); n > bestN {
			best, bestN = sep, n
		}
	}
	return best
}
