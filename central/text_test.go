package central

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kemnaker/blk/domain"
)

// TestTextThatCannotBeStoredIsRejectedPerChange: a push that carries a
// 9 MiB partner name, a NUL in an address or text that is not UTF-8 has
// each of those changes rejected alone, with a reason the operator can act
// on and that does not repeat the value; the rest of the batch is stored.
func TestTextThatCannotBeStoredIsRejectedPerChange(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c := centreOf(t, s, "BLK A")
			d := enrolled(t, s, c, "pc1")
			clock := func(seq int64) domain.Clock { return domain.MakeClock(time.Now().UnixMilli(), seq) }
			partner := func(seq int64, name string) domain.Change {
				return domain.Change{Seq: seq, Table: "partners", ID: domain.NewID(), Clock: clock(seq),
					Fields: map[string]any{"centre_id": c, "name": name, "type": "industry"}}
			}
			nul := traineeChange(3, c, domain.NewID(), "Dewi Lestari", 3)
			nul.Fields["address"] = "Jl. Melati\x00 No. 4"
			// Text that is not UTF-8 arrives as raw bytes in the JSON; decoding
			// must not quietly turn it into U+FFFD.
			var notUTF8 domain.Change
			raw := `{"s":4,"t":"trainees","i":"` + domain.NewID() + `","c":` + strconv.FormatInt(int64(clock(4)), 10) +
				`,"f":{"centre_id":"` + c + `","nik":"` + domain.MakeNIK("320101", birth, true, 4) +
				"\",\"name\":\"Siti Aminah\",\"address\":\"Jl. Melati \xff No. 4\",\"sex\":\"P\",\"birth_date\":\"2001-08-17\"}}"
			if err := json.Unmarshal([]byte(raw), &notUTF8); err != nil {
				t.Fatal(err)
			}
			huge := strings.Repeat("PT Maju Jaya ", 9<<20/13)
			tombstone := partner(5, huge)
			tombstone.Fields["deleted"] = true
			batch := []domain.Change{
				partner(1, "PT Maju Jaya"),
				partner(2, huge),
				nul,
				notUTF8,
				tombstone,
				traineeChange(6, c, domain.NewID(), "Ani Rahma", 6),
			}
			if err := CheckChanges(d, batch); err != nil {
				t.Fatal(err)
			}
			r, err := s.Push(ctx, d, batch)
			if err != nil {
				t.Fatal(err)
			}
			want := map[int64]struct{ field, en string }{
				2: {"name", "too long (at most 200 characters)"},
				3: {"address", "NUL"},
				4: {"address", "not valid UTF-8"},
				5: {"name", "too long"},
			}
			if r.AppliedSeq != 6 || len(r.Rejections) != len(want) {
				t.Fatalf("applied %d, rejections %+v", r.AppliedSeq, r.Rejections)
			}
			for _, rj := range r.Rejections {
				w := want[rj.Seq]
				if rj.Field != w.field || !strings.Contains(rj.ReasonEN, w.en) || rj.ReasonID == "" ||
					len(rj.ReasonEN)+len(rj.ReasonID) > 400 || strings.Contains(rj.ReasonEN, "Maju") {
					t.Errorf("seq %d: rejected on %q: %.200q / %.200q", rj.Seq, rj.Field, rj.ReasonEN, rj.ReasonID)
				}
			}
			p, err := s.Pull(ctx, c, "", 0, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			stored := map[string]bool{}
			for _, ch := range p.Changes {
				stored[ch.ID] = true
				for f, v := range ch.Fields {
					if s, ok := v.(string); ok && (len(s) > 300 || strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s)) {
						t.Errorf("stored %s.%s: %.60q", ch.Table, f, s)
					}
				}
			}
			if !stored[batch[0].ID] || !stored[batch[5].ID] || len(stored) != 2 {
				t.Fatalf("stored %d records, want the two valid ones", len(stored))
			}
		})
	}
}
