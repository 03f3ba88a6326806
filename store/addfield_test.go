package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kemnaker/blk/domain"
)

// Version 1 of a table that a test declares, as a newcomer would declare a
// new one in domain/records.go and domain/schema.go.
type gadgetV1 struct {
	domain.Meta
	TraineeID string `db:"trainee_id" rule:"required" ref:"trainees,cascade"`
	Colour    string `db:"colour" max:"10" rule:"required" choice:"red,blue"`
}

// Version 2 adds one field: one line.
type gadgetV2 struct {
	domain.Meta
	TraineeID string `db:"trainee_id" rule:"required" ref:"trainees,cascade"`
	Colour    string `db:"colour" max:"10" rule:"required" choice:"red,blue"`
	Note      string `db:"note" max:"20"`
}

func declare(t *testing.T, rec domain.Record) {
	t.Helper()
	domain.Unregister("gadgets")
	if _, err := domain.Register(domain.TableSpec{Name: "gadgets", Record: rec}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { domain.Unregister("gadgets") })
}

func migrateWith(t *testing.T, s *Store, name, sql string) {
	t.Helper()
	if err := s.migrate(context.Background(), fstest.MapFS{"migrations/" + name: {Data: []byte(sql)}}); err != nil {
		t.Fatal(err)
	}
}

// TestAddingATableOrAFieldIsADeclarationAndAMigration: the store reads,
// writes, validates, checks references of, captures changes of, merges
// and cascades deletes to a table and a field it was never told about
// beyond their declaration in domain and their migration.
func TestAddingATableOrAFieldIsADeclarationAndAMigration(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Now = func() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC) }
	if _, err := s.InitCentre(ctx, &domain.Centre{Name: "BLK A", VillageCode: "3201011001"}); err != nil {
		t.Fatal(err)
	}
	tr := &domain.Trainee{NIK: domain.MakeNIK("320101", time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC), true, 1),
		Name: "Siti Aminah", Sex: "P", BirthDate: "2001-08-17"}
	if _, err := s.Save(ctx, tr); err != nil {
		t.Fatal(err)
	}

	// A new table: its declaration and its migration.
	declare(t, &gadgetV1{})
	migrateWith(t, s, "9001_gadgets.sql", `CREATE TABLE gadgets (
		id TEXT PRIMARY KEY, centre_id TEXT NOT NULL DEFAULT '', deleted INTEGER NOT NULL DEFAULT 0,
		trainee_id TEXT NOT NULL DEFAULT '', colour TEXT NOT NULL DEFAULT '', _v TEXT NOT NULL DEFAULT '{}')`)
	refused := func(rec domain.Record, field, code string) {
		t.Helper()
		_, err := s.Save(ctx, rec)
		var ve *domain.ValidationError
		if !errors.As(err, &ve) || len(ve.Problems.For(field)) != 1 || ve.Problems.For(field)[0].Code != code {
			t.Fatalf("want %s on %s, got %v", code, field, err)
		}
	}
	refused(&gadgetV1{TraineeID: tr.ID, Colour: "green"}, "colour", "problem.choice.invalid")
	refused(&gadgetV1{TraineeID: "nobody", Colour: "red"}, "trainee_id", "problem.ref.missing")
	g1 := &gadgetV1{TraineeID: tr.ID, Colour: "red"}
	if _, err := s.Save(ctx, g1); err != nil {
		t.Fatal(err)
	}
	last := func() domain.Change {
		t.Helper()
		cs, err := s.PendingChanges(ctx, 0, 1<<20)
		if err != nil || len(cs) == 0 {
			t.Fatal(err)
		}
		return cs[len(cs)-1]
	}
	if c := last(); c.Table != "gadgets" || c.ID != g1.ID || c.Fields["colour"] != "red" || c.Fields["trainee_id"] != tr.ID {
		t.Fatalf("outbox: %+v", c)
	}

	// A new field: one line in the struct and its migration.
	declare(t, &gadgetV2{})
	migrateWith(t, s, "9002_gadget_note.sql", `ALTER TABLE gadgets ADD COLUMN note TEXT NOT NULL DEFAULT ''`)
	g := &gadgetV2{}
	g.ID = g1.ID
	if err := s.Get(ctx, g); err != nil || g.Colour != "red" || g.Note != "" {
		t.Fatalf("read back: %+v %v", g, err)
	}
	g.Note = "far too long for twenty"
	refused(g, "note", "problem.too.long")
	g.Note = "blue stripe"
	if _, err := s.Save(ctx, g); err != nil {
		t.Fatal(err)
	}
	if c := last(); len(c.Fields) != 1 || c.Fields["note"] != "blue stripe" {
		t.Fatalf("the edit's change: %+v", c)
	}

	// Another PC's edit of the new field merges in like any other.
	remote := domain.Change{Table: "gadgets", ID: g.ID, Clock: s.Clock() + 10, Device: "pc-b",
		Fields: map[string]any{"note": "red stripe"}}
	if err := s.ApplyRemote(ctx, []domain.Change{remote}, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.Get(ctx, g); err != nil || g.Note != "red stripe" {
		t.Fatalf("after the remote edit: %+v %v", g, err)
	}

	// Deleting the trainee deletes the gadget that hangs on it.
	if err := s.Delete(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if err := s.Get(ctx, g); !errors.Is(err, ErrNotFound) {
		t.Fatalf("gadget of a deleted trainee: %v", err)
	}
}
