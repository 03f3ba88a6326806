package sync_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	gosync "sync"
	"testing"
	"time"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/domain"
	blksync "github.com/kemnaker/blk/sync"
	"github.com/kemnaker/blk/sync/wire"
)

func gz(t *testing.T, raw []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(raw)
	zw.Close()
	return b.Bytes()
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

// rawPost sends body (already encoded) with the given headers.
func rawPost(t *testing.T, url, path string, body []byte, hdr map[string]string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+path, bytes.NewReader(body))
	req.Header.Set(wire.HeaderProtocol, strconv.Itoa(wire.ProtocolVersion))
	req.Header.Set(wire.HeaderSchema, strconv.Itoa(wire.SchemaVersion))
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set("Accept-Encoding", "gzip")
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func change(seq int64, table, id string, fields map[string]any) domain.Change {
	return domain.Change{Seq: seq, Table: table, ID: id, Clock: domain.MakeClock(time.Now().UnixMilli(), 0), Fields: fields}
}

func TestAuthMatrixRefusesWithClearStatusAndStoresNothing(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			// given two centres with one enrolled PC each, B owning a trainee
			st := openBackend(t, kind)
			url := startServer(t, st)
			a, b := addCentre(t, st, "BLK A"), addCentre(t, st, "BLK B")
			devB := enrolDevice(t, st, url, b, "pcB")
			tb := trainee(1, "Siti Aminah")
			if _, err := devB.st.Save(ctx, tb); err != nil {
				t.Fatal(err)
			}
			mustRound(t, devB)
			tokA, _, err := st.Enrol(ctx, newCode(t, st, a), domain.NewID(), "pcA")
			if err != nil {
				t.Fatal(err)
			}
			revoked := domain.NewID()
			tokRevoked, _, _ := st.Enrol(ctx, newCode(t, st, a), revoked, "old PC")
			if err := st.RevokeDevice(ctx, revoked); err != nil {
				t.Fatal(err)
			}
			usedCode := newCode(t, st, a)
			if _, _, err := st.Enrol(ctx, usedCode, domain.NewID(), "pc"); err != nil {
				t.Fatal(err)
			}
			expired, _, _ := st.NewCode(ctx, a, -time.Hour)
			before := map[string]map[string][]string{a: snapshot(t, st.Source(a)), b: snapshot(t, st.Source(b))}

			bearer := "Bearer " + tokA
			valid := map[string]any{"centre_id": a, "nik": tb.NIK, "name": "Budi Santoso", "sex": "L", "birth_date": "2001-08-17"}
			push := func(cs ...domain.Change) []byte { return gz(t, mustJSON(wire.PushRequest{Changes: cs})) }
			big, bomb := hugeBodies(t)

			cases := []struct {
				name string
				path string
				body []byte
				hdr  map[string]string
				want int
			}{
				{"row claimed for another centre", "/v1/push", push(change(1, "trainees", domain.NewID(), map[string]any{"centre_id": b, "name": "X"})), map[string]string{"Authorization": bearer}, 403},
				{"row of another centre edited", "/v1/push", push(change(1, "trainees", tb.ID, map[string]any{"name": "Dewi Lestari"})), map[string]string{"Authorization": bearer}, 403},
				{"centre profile of another centre", "/v1/push", push(change(1, "centres", b, map[string]any{"name": "Taken"})), map[string]string{"Authorization": bearer}, 403},
				{"reference data written by a PC", "/v1/push", push(change(1, "vocational_fields", domain.NewID(), map[string]any{"code": "X", "name_id": "X"})), map[string]string{"Authorization": bearer}, 403},
				{"revoked token", "/v1/push", push(change(1, "trainees", domain.NewID(), valid)), map[string]string{"Authorization": "Bearer " + tokRevoked}, 403},
				{"bad token", "/v1/push", push(change(1, "trainees", domain.NewID(), valid)), map[string]string{"Authorization": "Bearer nope"}, 401},
				{"no token", "/v1/pull", gz(t, mustJSON(wire.PullRequest{})), nil, 401},
				{"expired code", "/v1/enrol", gz(t, mustJSON(wire.EnrolRequest{Code: expired, DeviceID: domain.NewID()})), nil, 403},
				{"used code", "/v1/enrol", gz(t, mustJSON(wire.EnrolRequest{Code: usedCode, DeviceID: domain.NewID()})), nil, 403},
				{"unknown code", "/v1/enrol", gz(t, mustJSON(wire.EnrolRequest{Code: "AAAA-BBBB-CCCC", DeviceID: domain.NewID()})), nil, 403},
				{"reserved device id", "/v1/enrol", gz(t, mustJSON(wire.EnrolRequest{Code: newCode(t, st, a), DeviceID: "server"})), nil, 400},
				{"oversized body", "/v1/push", big, map[string]string{"Authorization": bearer}, 413},
				{"gzip bomb", "/v1/push", bomb, map[string]string{"Authorization": bearer}, 413},
				{"malformed JSON", "/v1/push", gz(t, []byte(`{"changes":[{"s":1,`)), map[string]string{"Authorization": bearer}, 400},
				{"not gzip", "/v1/push", []byte(`{"changes":[]}`), map[string]string{"Authorization": bearer}, 400},
				{"unknown table", "/v1/push", push(change(1, "salaries", domain.NewID(), map[string]any{"x": 1})), map[string]string{"Authorization": bearer}, 400},
				{"unknown field", "/v1/push", push(change(1, "trainees", domain.NewID(), map[string]any{"salary": 1})), map[string]string{"Authorization": bearer}, 400},
				{"wrong value type", "/v1/push", push(change(1, "cohorts", domain.NewID(), map[string]any{"quota": "sixteen"})), map[string]string{"Authorization": bearer}, 400},
				{"too-old protocol", "/v1/push", push(change(1, "trainees", domain.NewID(), valid)), map[string]string{"Authorization": bearer, wire.HeaderProtocol: "0"}, 426},
				{"no protocol header", "/v1/pull", gz(t, mustJSON(wire.PullRequest{})), map[string]string{"Authorization": bearer, wire.HeaderProtocol: ""}, 426},
				{"too-old schema", "/v1/pull", gz(t, mustJSON(wire.PullRequest{})), map[string]string{"Authorization": bearer, wire.HeaderSchema: "0"}, 426},
				{"newer app than server", "/v1/pull", gz(t, mustJSON(wire.PullRequest{})), map[string]string{"Authorization": bearer, wire.HeaderProtocol: "99"}, 400},
			}
			for _, tc := range cases {
				if kind != "sqlite" && (tc.name == "oversized body" || tc.name == "gzip bomb") {
					continue // the HTTP layer refuses these before storage; once is enough
				}
				t.Run(tc.name, func(t *testing.T) {
					// when the request is sent
					resp := rawPost(t, url, tc.path, tc.body, tc.hdr)
					// then it is refused with the status and a message to act on
					if resp.StatusCode != tc.want {
						t.Fatalf("status %d, want %d", resp.StatusCode, tc.want)
					}
					if resp.Header.Get(wire.HeaderServerTime) == "" {
						t.Fatal("no server time on the reply")
					}
					zr, err := gzip.NewReader(resp.Body)
					if err != nil {
						t.Fatal(err)
					}
					var e wire.ErrorResponse
					if err := json.NewDecoder(zr).Decode(&e); err != nil || e.Message == "" || e.MessageEN == "" {
						t.Fatalf("no message in both languages: %+v %v", e, err)
					}
				})
			}
			// and nothing was stored
			after := map[string]map[string][]string{a: snapshot(t, st.Source(a)), b: snapshot(t, st.Source(b))}
			if !reflect.DeepEqual(before, after) {
				t.Fatalf("refused requests changed the data:\n%s", diff(after[a], before[a]))
			}
			devs, _ := st.Devices(ctx)
			for _, d := range devs {
				if d.ID == "dev-a" && d.AppliedSeq != 0 {
					t.Fatalf("applied seq moved to %d", d.AppliedSeq)
				}
				if d.ID == "d1" || d.ID == "d2" || d.ID == "d3" {
					t.Fatalf("device %s enrolled with a bad code", d.ID)
				}
			}
			// and a valid push with the same token still works
			resp := rawPost(t, url, "/v1/push", push(change(1, "trainees", domain.NewID(), valid)), map[string]string{"Authorization": bearer})
			if resp.StatusCode != 200 {
				t.Fatalf("valid push: %d", resp.StatusCode)
			}
			_ = central.ErrBadCode
		})
	}
}

func jsonEncode(w io.Writer, v any) error { return json.NewEncoder(w).Encode(v) }

var huge struct {
	once      gosync.Once
	big, bomb []byte
}

// hugeBodies are an 8 MiB+ gzip body (random bytes do not compress) and a
// small gzip body that inflates past the decoded limit.
func hugeBodies(t *testing.T) ([]byte, []byte) {
	huge.once.Do(func() {
		noise := make([]byte, wire.MaxBodyBytes+1024)
		rand.Read(noise)
		huge.big = gz(t, noise)
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
		zw.Write([]byte(`{"changes":[{"s":1,"t":"trainees","i":"x","c":1,"f":{"name":"`))
		chunk := bytes.Repeat([]byte("a"), 1<<20)
		for i := 0; i <= wire.MaxDecodedBytes>>20; i++ {
			zw.Write(chunk)
		}
		zw.Write([]byte(`"}}]}`))
		zw.Close()
		huge.bomb = b.Bytes()
	})
	return huge.big, huge.bomb
}

func TestEnrolIntoAnotherCentreIsRefusedWithoutUsingTheCode(t *testing.T) {
	ctx := context.Background()
	// given a PC that already belongs to centre B and a code for centre A
	st := openBackend(t, "sqlite")
	url := startServer(t, st)
	a, b := addCentre(t, st, "BLK A"), addCentre(t, st, "BLK B")
	code := newCode(t, st, a)
	s := openStore(t)
	if err := s.JoinCentre(ctx, b); err != nil {
		t.Fatal(err)
	}
	// when it tries to enrol with that code
	err := blksync.NewClient(s).Enrol(ctx, url, code)
	// then it is refused and the code still works for a PC of centre A
	var se *blksync.ServerError
	if !errors.As(err, &se) || se.Status != 403 {
		t.Fatalf("enrol into another centre: %v", err)
	}
	if _, _, err := st.Enrol(ctx, code, domain.NewID(), "pc-a"); err != nil {
		t.Fatalf("code was used up by a refused enrolment: %v", err)
	}
}
