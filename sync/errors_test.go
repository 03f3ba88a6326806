package sync_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/msg"
	blksync "github.com/kemnaker/blk/sync"
	syncserver "github.com/kemnaker/blk/sync/server"
	"github.com/kemnaker/blk/sync/wire"
)

// oldApp rewrites the protocol header as an app older than the server's
// minimum would send it.
type oldApp struct{}

func (oldApp) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(wire.HeaderProtocol, strconv.Itoa(wire.MinProtocol-1))
	return http.DefaultTransport.RoundTrip(r)
}

// TestEveryNetworkFailureGetsOnePlainSentence makes each failure really
// happen (a closed port, a name that cannot resolve, a certificate nobody
// signed, a server that refuses, fails or stalls) and checks the kind, the
// sentence the operator reads in both languages and that the technical
// detail is kept for "Rincian".
func TestEveryNetworkFailureGetsOnePlainSentence(t *testing.T) {
	ctx := context.Background()
	central0 := openBackend(t, "sqlite")
	live := startServer(t, central0)
	centre := addCentre(t, central0, "BLK Komunitas Al-Falah")

	closed := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		return "http://" + addr
	}()
	tlsSrv := httptest.NewTLSServer(syncserver.NewServer(central0, quietLog()).Handler())
	t.Cleanup(tlsSrv.Close)
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "panic: nil map", http.StatusInternalServerError)
	}))
	t.Cleanup(failing.Close)
	website := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><body>Selamat datang</body></html>"))
	}))
	t.Cleanup(website.Close)
	release := make(chan struct{})
	stalling := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // answers nothing until the client gives up
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(stalling.Close)
	t.Cleanup(func() { close(release) })

	// A revoked PC: enrolled, then cut off by the ministry.
	revoked := enrolDevice(t, central0, live, centre, "PC-Lama")
	if err := central0.RevokeDevice(ctx, revoked.st.DeviceID()); err != nil {
		t.Fatal(err)
	}
	// A used code: it enrolled one PC already.
	used := newCode(t, central0, centre)
	if err := blksync.NewClient(openStore(t)).Enrol(ctx, live, used); err != nil {
		t.Fatal(err)
	}

	enrol := func(url, code string, opts ...blksync.Option) func(context.Context) error {
		return func(ctx context.Context) error {
			return blksync.NewClient(openStore(t), opts...).Enrol(ctx, url, code)
		}
	}
	cases := []struct {
		name string
		run  func(context.Context) error
		// deadline bounds the attempt (the stalling server); 0: none
		deadline time.Duration
		want     blksync.Kind
		id, en   string // a piece of the sentence in each language
	}{
		{"closed port", enrol(closed, "x"), 0, blksync.KindOffline, "Periksa sambungan internet", "Check the internet connection"},
		{"unresolvable name", enrol("http://blk-server.invalid", "x"), 0, blksync.KindNoName, "Alamat server tidak ditemukan", "address was not found"},
		{"certificate nobody signed", enrol(tlsSrv.URL, newCode(t, central0, centre)), 0, blksync.KindTLS, "tanggal dan jam PC", "date and time"},
		{"wrong code", enrol(live, "SALAH-KODE-123"), 0, blksync.KindCode, "Kode pendaftaran salah", "enrolment code is wrong"},
		{"used code", enrol(live, used), 0, blksync.KindCode, "sudah dipakai", "already used"},
		{"revoked PC", func(ctx context.Context) error { _, err := revoked.client.Round(ctx); return err }, 0, blksync.KindRevoked, "dicabut", "revoked"},
		{"app too old (426)", enrol(live, newCode(t, central0, centre), blksync.WithHTTPClient(&http.Client{Transport: oldApp{}})), 0, blksync.KindUpdateApp, "Perbarui aplikasi", "Update BLK Komunitas"},
		{"server error (500)", enrol(failing.URL, "x"), 0, blksync.KindServer, "kesalahan di server pusat", "server had an error"},
		{"not a blk-server", enrol(website.URL, "x"), 0, blksync.KindWrongAddress, "bukan server BLK", "not a BLK Komunitas server"},
		{"stalling server", enrol(stalling.URL, "x"), 300 * time.Millisecond, blksync.KindTimeout, "terlalu lama menjawab", "took too long"},
		{"not enrolled", func(ctx context.Context) error { _, err := blksync.NewClient(openStore(t)).Round(ctx); return err }, 0, blksync.KindNotEnrolled, "belum tersambung", "not connected"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := ctx
			if c.deadline > 0 {
				var cancel func()
				ctx, cancel = context.WithTimeout(ctx, c.deadline)
				defer cancel()
			}
			err := c.run(ctx)
			if err == nil {
				t.Fatal("no error")
			}
			f := blksync.Classify(err)
			if f.Kind != c.want {
				t.Fatalf("kind %q, want %q (error: %v)", f.Kind, c.want, err)
			}
			id, en := f.Localized(domain.Indonesian), f.Localized(domain.English)
			if !strings.Contains(id, c.id) || !strings.Contains(en, c.en) {
				t.Fatalf("sentences\n id: %s\n en: %s\nwant %q / %q", id, en, c.id, c.en)
			}
			for _, s := range []string{id, en} {
				if strings.Contains(s, "http") || strings.Contains(s, "tcp") || strings.Contains(s, "x509") {
					t.Fatalf("the sentence shows technical text: %s", s)
				}
			}
			if f.Detail() != err.Error() || f.Detail() == "" {
				t.Fatalf("detail %q, want the error %q", f.Detail(), err.Error())
			}
			if blksync.Classify(f) != f || !errors.Is(f, err) {
				t.Fatal("classifying twice changed the failure")
			}
		})
	}
}

// TestTheStatusCarriesTheSentenceAndTheDetail: the background round's
// failure reaches the status bar as the plain sentence, with the detail for
// "Rincian", and a success clears both.
func TestTheStatusCarriesTheSentenceAndTheDetail(t *testing.T) {
	ctx := context.Background()
	central0 := openBackend(t, "sqlite")
	live := startServer(t, central0)
	centre := addCentre(t, central0, "BLK Komunitas Nurul Huda")
	d := enrolDevice(t, central0, live, centre, "PC-1")
	if err := central0.RevokeDevice(ctx, d.st.DeviceID()); err != nil {
		t.Fatal(err)
	}
	if _, err := d.client.Round(ctx); err == nil {
		t.Fatal("a revoked PC synced")
	}
	st := d.client.Status()
	if st.LastErrorKind != blksync.KindRevoked || st.LastError != msg.T(msg.Indonesian, "syncerr.revoked") || !strings.Contains(st.LastErrorDetail, "403") {
		t.Fatalf("status %+v", st)
	}
}

// TestAnEnrolmentWhoseFirstDownloadFailsSaysThePCIsEnrolled: the code is
// spent, so the operator must learn that the PC has joined and that the
// download continues, not be asked to try a used code again.
func TestAnEnrolmentWhoseFirstDownloadFailsSaysThePCIsEnrolled(t *testing.T) {
	ctx := context.Background()
	central0 := openBackend(t, "sqlite")
	real := syncserver.NewServer(central0, quietLog()).Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == wire.PathPull {
			http.Error(w, "upstream down", http.StatusBadGateway)
			return
		}
		real.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	centre := addCentre(t, central0, "BLK Komunitas Darussalam")
	st := openStore(t)
	err := blksync.NewClient(st).Enrol(ctx, srv.URL, newCode(t, central0, centre))
	if !errors.Is(err, blksync.ErrEnrolledNotSynced) {
		t.Fatalf("error %v, want ErrEnrolledNotSynced", err)
	}
	if f := blksync.Classify(err); f.Kind != blksync.KindServer {
		t.Fatalf("kind %q, want the pull's server error", f.Kind)
	}
	if st.CentreID() != centre {
		t.Fatalf("the PC did not join: centre %q", st.CentreID())
	}
}
