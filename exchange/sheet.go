package exchange

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// sheet is a spreadsheet read into memory: the rows of text as stored
// (xlsx raw values, so dates arrive as day numbers) and, for xlsx, which
// cells hold numbers rather than text.
type sheet struct {
	name    string
	rows    [][]string
	numeric func(row, col int) bool // 0-based; false for csv
}

func (s *sheet) cell(row, col int) string {
	if row >= len(s.rows) || col < 0 || col >= len(s.rows[row]) {
		return ""
	}
	return strings.TrimSpace(s.rows[row][col])
}

// readSheets opens an .xlsx or .csv file and returns its sheets in order.
func readSheets(path string) ([]*sheet, error) {
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
	return nil, errFormat
}

func readXLSX(path string) ([]*sheet, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []*sheet
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
		out = append(out, &sheet{name: name, rows: rows, numeric: func(r, c int) bool {
			return r < len(types) && c < len(types[r]) && types[r][c]
		}})
	}
	return out, nil
}

// readCSV reads comma-, semicolon- or tab-separated text. Excel in an
// Indonesian locale saves with semicolons and in the Windows code page, so
// both are guessed rather than assumed.
func readCSV(data []byte) ([]*sheet, error) {
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
	return []*sheet{{name: "csv", rows: rows, numeric: func(int, int) bool { return false }}}, nil
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
