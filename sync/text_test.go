package sync_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/sync/wire"
)

// TestTextThatCannotBeStoredIsRejectedPerChangeOverTheWire: a push, as a
// PC or anyone else might send it, with a 9 MiB partner name, a NUL in an
// address and bytes that are not UTF-8, gets each of those changes
// rejected alone with a reason in both languages, in a small answer, and
// the valid change in the same batch is stored.
func TestTextThatCannotBeStoredIsRejectedPerChangeOverTheWire(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			st := openBackend(t, kind)
			url := startServer(t, st)
			a := addCentre(t, st, "BLK A")
			token, _, err := st.Enrol(ctx, newCode(t, st, a), domain.NewID(), "pcA")
			if err != nil {
				t.Fatal(err)
			}
			clock := strconv.FormatInt(int64(domain.MakeClock(time.Now().UnixMilli(), 0)), 10)
			// The body is written by hand: encoding/json would turn the
			// bytes that are not UTF-8 into U+FFFD before they left.
			change := func(seq int, table, fields string) string {
				return `{"s":` + strconv.Itoa(seq) + `,"t":"` + table + `","i":"` + domain.NewID() + `","c":` + clock +
					`,"f":{"centre_id":"` + a + `",` + fields + `}}`
			}
			tr := func(serial int, extra string) string {
				return `"nik":"` + domain.MakeNIK("320101", time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC), true, serial) +
					`","name":"Siti Aminah","sex":"P","birth_date":"2001-08-17"` + extra
			}
			body := `{"changes":[` + strings.Join([]string{
				// A name over its limit but under the wire's text limit is
				// rejected alone; a 9 MiB one refuses the whole push (413,
				// see sync/wire), as no app would send it.
				change(1, "partners", `"name":"`+strings.Repeat("PT Maju Jaya ", 200)+`","type":"industry"`),
				change(2, "trainees", tr(2, `,"address":"Jl. Melati\u0000 No. 4"`)),
				change(3, "trainees", tr(3, ",\"address\":\"Jl. Melati \xff\xfe No. 4\"")),
				change(4, "trainees", tr(4, `,"address":"Jl. Melati No. 4"`)),
			}, ",") + `]}`
			var zb bytes.Buffer
			zw := gzip.NewWriter(&zb)
			zw.Write([]byte(body))
			zw.Close()
			resp := rawPost(t, url, "/v1/push", zb.Bytes(), map[string]string{"Authorization": "Bearer " + token})
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			zr, err := gzip.NewReader(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			reply, _ := io.ReadAll(zr)
			var res wire.PushResponse
			if err := json.Unmarshal(reply, &res); err != nil {
				t.Fatal(err)
			}
			want := map[int64]string{1: "too long", 2: "NUL", 3: "not valid UTF-8"}
			if res.AppliedSeq != 4 || len(res.Rejections) != len(want) || len(reply) > 4096 {
				t.Fatalf("applied %d, %d rejections, a %d-byte answer", res.AppliedSeq, len(res.Rejections), len(reply))
			}
			for _, r := range res.Rejections {
				if !strings.Contains(r.ReasonEN, want[r.Seq]) || r.ReasonID == "" {
					t.Errorf("seq %d: %q / %q", r.Seq, r.ReasonEN, r.ReasonID)
				}
			}
			stored := snapshot(t, st.Source(a))
			if got := len(stored["trainees"]); got != 1 || len(stored["partners"]) != 0 {
				t.Fatalf("stored %d trainees, %d partners; want the one valid trainee", got, len(stored["partners"]))
			}
		})
	}
}
