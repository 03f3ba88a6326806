package exchange

import (
	"errors"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/reference"
)

// ReadReference reads national reference data from an .xlsx or .csv file in
// package reference's format: the first sheet whose header row has its
// columns (a workbook may keep notes on another sheet).
func ReadReference(path string) ([]domain.Record, error) {
	sheets, err := ReadSheets(path)
	if err != nil {
		return nil, err
	}
	var first error
	for _, s := range sheets {
		recs, err := reference.Parse(s.Rows)
		if err == nil {
			return recs, nil
		}
		if first == nil {
			first = err
		}
		if !errors.Is(err, reference.ErrNotReference) {
			return nil, err // the header was right: the rows are wrong
		}
	}
	if first == nil {
		first = errors.New("the workbook has no sheets")
	}
	return nil, first
}
