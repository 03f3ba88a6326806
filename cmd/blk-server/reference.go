package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/kemnaker/blk/exchange"
)

// referenceImportCmd reads national reference data from a .csv or .xlsx
// file in the format of the catalogue the desktop ships (package reference:
// field_code, field_name_id, field_name_en, unit_code, unit_title, jp), so
// `reference import assets/catalogue.csv` starts the ministry's copy. All
// rows go in one transaction; any bad row refuses the whole file.
func referenceImportCmd() command {
	return command{
		flags: func(*env) {},
		run: func(ctx context.Context, e *env) error {
			if e.fs.NArg() != 1 {
				return errors.New("usage: blk-server reference import FILE (.csv|.xlsx)")
			}
			recs, err := exchange.ReadReference(e.fs.Arg(0))
			if err != nil {
				return fmt.Errorf("%s: %w", e.fs.Arg(0), err)
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
