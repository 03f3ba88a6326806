package central

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

// TestPullSkipsPagesOfTheAskersOwnRecords: after a PC uploads more than a
// page of records, its own pull reads past them in one request, while
// another PC of the centre gets them page by page, all of them.
func TestPullSkipsPagesOfTheAskersOwnRecords(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c := centreOf(t, s, "BLK A")
			d1 := enrolled(t, s, c, "pc1")
			total := MaxPullRecords + 700
			var batch []domain.Change
			for i := 1; i <= total; i++ {
				batch = append(batch, traineeChange(int64(i), c, domain.NewID(), "Siti Aminah", i%9000+1))
				if len(batch) == 1000 || i == total {
					if _, err := s.Push(ctx, d1, batch); err != nil {
						t.Fatal(err)
					}
					batch = nil
				}
			}
			own, err := s.Pull(ctx, c, d1.ID, 0, 0, 0)
			if err != nil || len(own.Changes) != 0 || own.More || own.Cursor != int64(total) {
				t.Fatalf("own pull: %d changes, more %v, cursor %d, %v", len(own.Changes), own.More, own.Cursor, err)
			}
			ids := map[string]bool{}
			cursor, pages := int64(0), 0
			for {
				p, err := s.Pull(ctx, c, devID("pc2"), cursor, 0, 0)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				for _, ch := range p.Changes {
					ids[ch.ID] = true
				}
				cursor = p.Cursor
				if !p.More {
					break
				}
			}
			if len(ids) != total || pages != 2 {
				t.Fatalf("another PC got %d of %d records in %d pages", len(ids), total, pages)
			}
		})
	}
}

// TestOwnPullAfterFirstUploadSendsOnlyWhatOthersWrote: the pull that ends
// a PC's first upload leaves out every record the PC alone wrote (in SQL,
// soleWriterSQL) and still brings everything another PC of the centre
// wrote in between: its records, its edit of one of the PC's records,
// the conflict its losing edit made, page by page, with the cursor at the
// centre's last seq when it ends.
func TestOwnPullAfterFirstUploadSendsOnlyWhatOthersWrote(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c := centreOf(t, s, "BLK A")
			d1, d2 := enrolled(t, s, c, "pc1"), enrolled(t, s, c, "pc2")
			serial := 0
			push := func(d Device, seq *int64, n int) []domain.Change {
				t.Helper()
				var all, batch []domain.Change
				for i := 0; i < n; i++ {
					*seq++
					serial++
					batch = append(batch, traineeChange(*seq, c, domain.NewID(), "Siti Aminah", serial%9000+1))
					if len(batch) == 1000 || i == n-1 {
						if _, err := s.Push(ctx, d, batch); err != nil {
							t.Fatal(err)
						}
						all, batch = append(all, batch...), nil
					}
				}
				return all
			}
			var seq1, seq2 int64
			// given PC1's upload, with PC2 writing between its batches:
			// more than a page of its own records, an edit of one of
			// PC1's records that knew PC1's version, and one that did
			// not and loses (a conflict)
			own := push(d1, &seq1, 2000)
			theirs := push(d2, &seq2, MaxPullRecords+10)
			seq2++
			edit := domain.Change{Seq: seq2, Table: "trainees", ID: own[5].ID, Clock: domain.MakeClock(time.Now().UnixMilli(), seq2),
				Fields: map[string]any{"name": "Dewi Lestari"}, Base: map[string]domain.Version{"name": {Clock: own[5].Clock, Device: d1.ID}}}
			seq2++
			lost := domain.Change{Seq: seq2, Table: "trainees", ID: own[6].ID, Clock: domain.MakeClock(time.Now().Add(-time.Hour).UnixMilli(), seq2),
				Fields: map[string]any{"name": "Rina Wati"}}
			if r, err := s.Push(ctx, d2, []domain.Change{edit, lost}); err != nil || r.Conflicts != 1 {
				t.Fatalf("PC2's edits: %+v %v", r, err)
			}
			own = append(own, push(d1, &seq1, 2000)...)
			theirs = append(theirs, push(d2, &seq2, 1)...)

			// then the records PC1 alone wrote are the ones SQL leaves out
			var sole int
			if err := s.ro.QueryRowContext(ctx, s.q(`SELECT count(*) FROM records WHERE centre_no = `+centreNoOf+` AND `+soleWriterSQL), append([]any{c}, soleWriterArgs(d1.No)...)...).Scan(&sole); err != nil {
				t.Fatal(err)
			}
			if sole != len(own)-1 {
				t.Fatalf("%d records of PC1 alone found in SQL, want %d", sole, len(own)-1)
			}
			// when PC1 pulls from the start, leaving out its own versions
			got := map[string][]domain.Change{}
			var conflicts []domain.Conflict
			cursor, pages := int64(0), 0
			for {
				p, err := s.Pull(ctx, c, d1.ID, cursor, 0, 0)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				if pages == 1 && len(p.Changes) != MaxPullRecords {
					t.Fatalf("first page: %d changes, want a full page of %d", len(p.Changes), MaxPullRecords)
				}
				for _, ch := range p.Changes {
					if ch.Device == d1.ID {
						t.Fatalf("PC1 got its own version of %s %s back", ch.Table, ch.ID)
					}
					got[ch.ID] = append(got[ch.ID], ch)
				}
				conflicts = append(conflicts, p.Conflicts...)
				if p.Cursor <= cursor {
					t.Fatalf("page %d: cursor went from %d to %d", pages, cursor, p.Cursor)
				}
				cursor = p.Cursor
				if !p.More {
					break
				}
			}
			// then it gets exactly PC2's records, once each, PC2's field of
			// the record they share, and the conflict
			if pages != 2 || len(got) != len(theirs)+1 {
				t.Fatalf("%d records in %d pages, want %d in 2", len(got), pages, len(theirs)+1)
			}
			for _, ch := range theirs {
				if cs := got[ch.ID]; len(cs) != 1 || cs[0].Device != d2.ID || cs[0].Fields["name"] != "Siti Aminah" {
					t.Fatalf("PC2's record %s came as %+v", ch.ID, cs)
				}
			}
			if cs := got[edit.ID]; len(cs) != 1 || len(cs[0].Fields) != 1 || cs[0].Fields["name"] != "Dewi Lestari" {
				t.Fatalf("the shared record came as %+v, want PC2's name alone", cs)
			}
			if len(conflicts) != 1 || conflicts[0].RowID != lost.ID || conflicts[0].Loser != "Rina Wati" {
				t.Fatalf("conflicts: %+v", conflicts)
			}
			var last int64
			if err := s.ro.QueryRowContext(ctx, s.q(`SELECT last_seq FROM centres WHERE id = ?`), c).Scan(&last); err != nil || cursor != last {
				t.Fatalf("cursor ends at %d, the centre's last seq is %d (%v)", cursor, last, err)
			}
			// and a full pull (a restored PC) still gets all of them
			n := 0
			for cursor := int64(0); ; {
				p, err := s.Pull(ctx, c, "", cursor, 0, 0)
				if err != nil {
					t.Fatal(err)
				}
				ids := map[string]bool{}
				for _, ch := range p.Changes {
					ids[ch.ID] = true
				}
				n += len(ids)
				if cursor = p.Cursor; !p.More {
					break
				}
			}
			if n != len(own)+len(theirs) {
				t.Fatalf("full pull: %d records, want %d", n, len(own)+len(theirs))
			}
		})
	}
}

// TestOwnPullLeavesOutOnlyWhatThePCAloneWrote: the closing pull's filter
// in SQL (soleWriterSQL) never takes a record another writer holds a
// version of: not the profile the server wrote when it registered the
// centre, of which the PC edited one field, nor a record of the device
// whose number is written with the same digits twice (#1 and #37, "11"
// in base 36). Both stores (SQLite's LIKE ignores case, PostgreSQL's
// does not).
func TestOwnPullLeavesOutOnlyWhatThePCAloneWrote(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			centre, err := s.AddCentre(ctx, Centre{Name: "BLK Mandiri", Region: "3201"})
			if err != nil {
				t.Fatal(err)
			}
			c := centre.ID
			var devs []Device
			for i := range 37 {
				devs = append(devs, enrolled(t, s, c, fmt.Sprintf("pc%d", i+1)))
			}
			d1, d37 := devs[0], devs[36]
			if d1.No != 1 || d37.No != 37 {
				t.Fatalf("device numbers %d and %d", d1.No, d37.No)
			}
			p, err := s.Pull(ctx, c, "", 0, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			var server domain.Version // the server's version of the profile's phone
			for _, ch := range p.Changes {
				if _, ok := ch.Fields["phone"]; ok && ch.Table == "centres" {
					server = ch.Version()
				}
			}
			if server.Device != ServerDevice {
				t.Fatalf("the profile's phone is %+v's", server)
			}
			// given PC37's trainee, and PC1's trainee and its edit of the
			// profile's phone
			t37 := traineeChange(1, c, domain.NewID(), "Dewi Lestari", 37)
			if _, err := s.Push(ctx, d37, []domain.Change{t37}); err != nil {
				t.Fatal(err)
			}
			t1 := traineeChange(1, c, domain.NewID(), "Siti Aminah", 1)
			phone := domain.Change{Seq: 2, Table: "centres", ID: c, Clock: t1.Clock + 1, Fields: map[string]any{"phone": "+6281234567890"},
				Base: map[string]domain.Version{"phone": server}}
			if r, err := s.Push(ctx, d1, []domain.Change{t1, phone}); err != nil || r.Conflicts != 0 || len(r.Rejections) != 0 {
				t.Fatalf("PC1's push: %+v %v", r, err)
			}
			// then SQL finds PC1's trainee alone as a record PC1 alone wrote
			rows, err := s.ro.QueryContext(ctx, s.q(`SELECT id FROM records WHERE centre_no = `+centreNoOf+` AND `+soleWriterSQL), append([]any{c}, soleWriterArgs(d1.No)...)...)
			if err != nil {
				t.Fatal(err)
			}
			var sole []string
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					t.Fatal(err)
				}
				sole = append(sole, id)
			}
			rows.Close()
			if len(sole) != 1 || sole[0] != t1.ID {
				t.Errorf("records of PC1 alone in SQL: %v, want its trainee %s", sole, t1.ID)
			}
			// and PC1's pull brings PC37's trainee and the server's fields
			// of the profile, and nothing of its own
			p, err = s.Pull(ctx, c, d1.ID, 0, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			gotT37, gotProfile := false, false
			for _, ch := range p.Changes {
				if ch.Device == d1.ID || ch.ID == t1.ID {
					t.Errorf("PC1 got its own %s %s back: %+v", ch.Table, ch.ID, ch.Fields)
				}
				switch ch.ID {
				case t37.ID:
					gotT37 = ch.Device == d37.ID
				case c:
					gotProfile = gotProfile || ch.Fields["name"] == "BLK Mandiri"
				}
			}
			if !gotT37 || !gotProfile {
				t.Errorf("PC1's pull: PC37's trainee %v, the server's profile fields %v", gotT37, gotProfile)
			}
		})
	}
}
