package main

import (
	"context"
	"fmt"

	"github.com/kemnaker/blk/exchange"
	"github.com/kemnaker/blk/internal/cli"
	"github.com/kemnaker/blk/msg"
)

// referenceImportCmd reads national reference data from a .csv or .xlsx
// file in the format of the catalogue the desktop ships (package reference:
// field_code, field_name_id, field_name_en, unit_code, unit_title, jp), so
// `reference import assets/catalogue.csv` starts the ministry's copy. All
// rows go in one transaction; any bad row refuses the whole file.
func referenceImportCmd(e *env) *cli.Command {
	return &cli.Command{
		Name:    "reference import",
		Usage:   "FILE (.csv|.xlsx)",
		Short:   cli.Text("cli.server.reference_import.short"),
		MinArgs: 1, MaxArgs: 1,
		Run: func(ctx context.Context, args []string) error {
			recs, err := exchange.ReadReference(args[0])
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.ImportReference(ctx, recs); err != nil {
				return err
			}
			return e.print(map[string]any{"ok": true, "records": len(recs)}, msg.T(e.lang, "cli.out.server.reference.imported", len(recs)))
		},
	}
}
