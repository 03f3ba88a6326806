package exchange

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
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

func readXLSX(path string) ([]*Sheet, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []*Sheet
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %w", name, err)
		}
		types := make([][]bool, len(rows))
		for r, row := range rows {
			types[r] = make([]bool, len(row))
			for c, v := range row {
				if strings.TrimSpace(v) == "" {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				t, err := f.GetCellType(name, ref)
				if err != nil {
					return nil, fmt.Errorf("sheet %s cell %s: %w", name, ref, err)
				}
				// Number cells carry no type attribute (Unset) or "n".
				types[r][c] = t == excelize.CellTypeUnset || t == excelize.CellTypeNumber
			}
		}
		out = append(out, &Sheet{Name: name, Rows: rows, Numeric: func(r, c int) bool {
			return r < len(types) && c < len(types[r]) && types[r][c]
		}})
	}
	return out, nil
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
