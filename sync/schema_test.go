package sync_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
	blksync "github.com/kemnaker/blk/sync"
	"github.com/kemnaker/blk/sync/wire"
)

// firstRelease is what a PC of schema version 1 knows: table.field lines.
func firstRelease(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile("../domain/testdata/schema-1.txt")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out[l] = true
		}
	}
	return out
}

// pullAs pulls one page as a PC of the given schema version does.
func pullAs(t *testing.T, url, token string, schema int, req wire.PullRequest) (*http.Response, wire.PullResponse) {
	t.Helper()
	resp := rawPost(t, url, wire.PathPull, gz(t, mustJSON(req)), map[string]string{
		"Authorization": "Bearer " + token, wire.HeaderSchema: strconv.Itoa(schema)})
	var out wire.PullResponse
	if resp.StatusCode != http.StatusOK {
		return resp, out
	}
	var body io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		body = zr
	}
	if err := json.NewDecoder(body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp, out
}

// TestAPCOfTheFirstReleaseKeepsSyncingBesideAnUpdatedOne: a centre's PCs
// are not all updated on one day. The first release refuses a pulled
// change of a table or field it does not know, so a server that sent it
// the road map's ledger or a partner's category would stop its sync for
// good. The server sends it only what it knows; once updated, it pulls
// again and gets the rest.
func TestAPCOfTheFirstReleaseKeepsSyncingBesideAnUpdatedOne(t *testing.T) {
	known := firstRelease(t)
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			// given a centre with an updated PC and one of the first release
			st := openBackend(t, kind)
			url := startServer(t, st)
			centre := addCentre(t, st, "BLK Komunitas Al-Hikmah")
			updated := enrolDevice(t, st, url, centre, "pc-baru")
			old := enrolDevice(t, st, url, centre, "pc-lama")
			token, err := old.st.Meta(ctx, blksync.MetaToken)
			if err != nil || token == "" {
				t.Fatalf("token %q, %v", token, err)
			}
			// (a first-release database has no record of the schema it
			// pulled with; this one enrolled with today's client)
			if err := old.st.SetMeta(ctx, "pull_schema", ""); err != nil {
				t.Fatal(err)
			}
			// and the updated PC records what only schema 2 has, and syncs
			partner := &domain.Partner{Name: "Dinas Tenaga Kerja Kab. Bogor", Type: "government", Category: "local_government"}
			line := &domain.LedgerLine{Date: "2026-11-02", Direction: domain.LedgerIncome, Amount: 2_500_000, Category: "paid_training", Unit: "Konveksi"}
			for _, rec := range []domain.Record{partner, line, trainee(1, "Siti Aminah")} {
				if _, err := updated.st.Save(ctx, rec); err != nil {
					t.Fatal(err)
				}
			}
			mustRound(t, updated)

			// when the first-release PC pulls, as it does, with schema 1
			var cur, ref int64
			pages := 0
			for more := true; more; pages++ {
				resp, page := pullAs(t, url, token, 1, wire.PullRequest{Cursor: cur, RefCursor: ref, MaxBytes: 64 << 10})
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("a schema-1 pull: %s", resp.Status)
				}
				// then every change and conflict is of a table and field it knows
				for _, c := range append(append([]domain.Change{}, page.Changes...), page.RefChanges...) {
					for f := range c.Fields {
						if !known[c.Table+"."+f] {
							t.Fatalf("a schema-1 PC was sent %s.%s, which it would refuse", c.Table, f)
						}
					}
				}
				for _, c := range page.Conflicts {
					if !known[c.Table+"."+c.Field] {
						t.Fatalf("a schema-1 PC was sent a conflict on %s.%s", c.Table, c.Field)
					}
				}
				if err := old.st.ApplyPull(ctx, page.PullPage); err != nil {
					t.Fatal(err)
				}
				cur, ref, more = page.Cursor, page.RefCursor, page.More
			}
			// and it has the trainee and the partner, without the category
			got, err := store.ListOf[*domain.Partner](ctx, old.st, store.Query{})
			if err != nil || len(got) != 1 || got[0].Name != partner.Name || got[0].Category != "" {
				t.Fatalf("the schema-1 PC's partners: %+v, %v", got, err)
			}
			if n, _ := old.st.Count(ctx, domain.LookupTable("ledger_lines"), store.Query{}); n != 0 {
				t.Fatalf("the schema-1 PC holds %d ledger lines", n)
			}
			if n, _ := old.st.Count(ctx, domain.LookupTable("trainees"), store.Query{}); n != 1 {
				t.Fatalf("the schema-1 PC holds %d trainees", n)
			}

			// when that PC is updated and syncs
			mustRound(t, &device{name: "pc-lama", st: old.st, client: blksync.NewClient(old.st)})
			// then it pulls again and has what it was not sent
			got, _ = store.ListOf[*domain.Partner](ctx, old.st, store.Query{})
			if len(got) != 1 || got[0].Category != "local_government" {
				t.Fatalf("after the update the partner is %+v", got)
			}
			lines, _ := store.ListOf[*domain.LedgerLine](ctx, old.st, store.Query{})
			if len(lines) != 1 || lines[0].Amount != 2_500_000 || lines[0].Unit != "Konveksi" {
				t.Fatalf("after the update the ledger is %+v", lines)
			}
			// and it does not start again on the next round
			if again, err := old.st.PullForSchema(ctx, wire.SchemaVersion); again || err != nil {
				t.Fatalf("the pull started again a second time: %v, %v", again, err)
			}

			// and a schema the server does not serve is told apart
			for schema, want := range map[int]int{wire.MinSchema - 1: http.StatusUpgradeRequired, wire.SchemaVersion + 1: http.StatusBadRequest} {
				if resp, _ := pullAs(t, url, token, schema, wire.PullRequest{}); resp.StatusCode != want {
					t.Fatalf("schema %d: %s, want %d", schema, resp.Status, want)
				}
			}
		})
	}
}

// TestSchemaVersionIsTheNewestSince: raising a field's since without
// raising wire.SchemaVersion would hide the field from every PC.
func TestSchemaVersionIsTheNewestSince(t *testing.T) {
	newest := 1
	for _, tb := range domain.Tables {
		for _, f := range tb.Fields {
			newest = max(newest, f.Since)
		}
	}
	if newest != wire.SchemaVersion {
		t.Fatalf("the newest since tag is %d, wire.SchemaVersion is %d", newest, wire.SchemaVersion)
	}
}
