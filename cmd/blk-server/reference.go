package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/kemnaker/blk/domain"
)

// referenceImportCmd reads national reference data from a CSV file with
// the header kind,field_code,code,name_id,name_en,title,jp where kind is
// "field" (a vocational field: code, name_id, name_en) or "unit" (a
// competency unit: field_code, code, title, jp). All rows go in one
// transaction; any bad row refuses the whole file.
func referenceImportCmd() command {
	return command{
		flags: func(*env) {},
		run: func(ctx context.Context, e *env) error {
			if e.fs.NArg() != 1 {
				return errors.New("usage: blk-server reference import FILE.csv")
			}
			f, err := os.Open(e.fs.Arg(0))
			if err != nil {
				return err
			}
			defer f.Close()
			recs, err := readReference(f)
			if err != nil {
				return err
			}
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.ImportReference(ctx, recs); err != nil {
				return err
			}
			return e.print(map[string]any{"ok": true, "records": len(recs)}, fmt.Sprintf("imported %d reference records", len(recs)))
		},
	}
}

func readReference(r io.Reader) ([]domain.Record, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"kind", "code"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("header needs a %q column (kind,field_code,code,name_id,name_en,title,jp)", need)
		}
	}
	var out []domain.Record
	for line := 2; ; line++ {
		row, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		switch get("kind") {
		case "field":
			out = append(out, &domain.VocationalField{Code: get("code"), NameID: get("name_id"), NameEN: get("name_en")})
		case "unit":
			jp, err := strconv.ParseInt(get("jp"), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("line %d: jp %q is not a whole number", line, get("jp"))
			}
			out = append(out, &domain.CompetencyUnit{FieldCode: get("field_code"), Code: get("code"), Title: get("title"), JP: jp})
		default:
			return nil, fmt.Errorf("line %d: kind %q must be field or unit", line, get("kind"))
		}
	}
}
