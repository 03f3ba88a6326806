package server_test

import (
	"bytes"
	"compress/gzip"
	"testing"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/sync/wire"
)

func gzipped(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

// FuzzDecodePush feeds arbitrary bodies to the push decoder the handler
// uses: it must never panic, and whatever it accepts must be bounded and
// pass (or be refused by) the storage's shape check without a panic either.
func FuzzDecodePush(f *testing.F) {
	for _, s := range []string{
		`{"changes":[{"s":1,"t":"trainees","i":"a","c":1,"f":{"name":"Siti"},"b":{"name":{"c":1,"d":"x"}}}]}`,
		`{"changes":[]}`,
		`{"changes":[{"s":1,"t":"cohorts","i":"a","c":1,"f":{"quota":16.5}}]}`,
		`{"changes":[{"s":2,"t":"trainees","i":"a","c":1,"f":{"deleted":true}},{"s":1,"t":"trainees","i":"a","c":1,"f":{"name":1e400}}]}`,
		`{"changes":[{"s":1,"t":"centres","i":"c","c":-1,"f":{"centre_id":"other"}}]}`,
		`{"changes":null}`,
		`{"changes":[{"s":1}]} trailing`,
		`{"extra":1}`,
		`[`,
		``,
	} {
		f.Add(gzipped(s))
	}
	f.Add([]byte("not gzip at all"))
	dev := central.Device{ID: "dev", CentreID: "c"}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := wire.DecodePush(bytes.NewReader(body))
		if err != nil {
			return
		}
		if len(req.Changes) > wire.MaxPushChanges {
			t.Fatalf("accepted %d changes", len(req.Changes))
		}
		for _, c := range req.Changes {
			if c.Seq <= 0 || c.Table == "" || c.ID == "" || len(c.Fields) == 0 {
				t.Fatalf("accepted an incomplete change %+v", c)
			}
		}
		if err := central.CheckChanges(dev, req.Changes); err == nil {
			for _, c := range req.Changes {
				tb := domain.LookupTable(c.Table)
				for name, v := range c.Fields {
					fd, _ := tb.Field(name)
					if _, err := fd.Normalize(v); err != nil {
						t.Fatalf("checked change keeps a bad value: %v", err)
					}
				}
			}
		}
	})
}
