//go:build ignore

// dump.go writes every synced record of a blk PC database as one JSON
// document a line, the documents the PouchDB baseline replicates:
//
//	go run -tags migrated_fynedo,no_emoji bench/pouchdb/dump.go PC/blk.db > docs.ndjson
//
// A document is {"_id": "<table>:<id>", "table": "<table>", <field>: <value>, …}
// with every field of the record under its wire name (domain's db tags),
// the values blk's first push carries. Reference tables (national data the
// ministry writes) are left out, as the push leaves them out.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run bench/pouchdb/dump.go PC/blk.db > docs.ndjson")
		os.Exit(2)
	}
	ctx := context.Background()
	s, err := store.Open(ctx, os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer s.Close()
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	enc := json.NewEncoder(w)
	total := 0
	for _, t := range domain.Tables {
		if t.Reference {
			continue
		}
		n := 0
		err := s.EachRecord(ctx, t.Name, func(r domain.Record) error {
			doc := make(map[string]any, len(t.Fields)+2)
			for _, f := range t.Fields {
				doc[f.Name] = f.Get(r)
			}
			doc["_id"] = t.Name + ":" + r.Base().ID
			doc["table"] = t.Name
			n++
			return enc.Encode(doc)
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if n > 0 {
			fmt.Fprintf(os.Stderr, "%-28s %7d\n", t.Name, n)
		}
		total += n
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "%-28s %7d\n", "documents", total)
}
