package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	gosync "sync"
	"testing"
	"time"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/dashboard"
)

func TestParallelGuessesCannotOutrunTheLoginLimit(t *testing.T) {
	// given 300 browsers, each with its own login form, ready to guess one
	// user's password at the same moment; one of them has it right
	f := newFixture(t, "sqlite", dashboard.Options{})
	const n = 300
	type guess struct {
		c    *http.Client
		form url.Values
	}
	guesses := make([]guess, n)
	for i := range guesses {
		c := f.client(t)
		_, html, _ := get(t, c, f.srv.URL+"/dashboard/login")
		pass := "salah-" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		if i == n/2 {
			pass = testPass
		}
		guesses[i] = guess{c, url.Values{"csrf": {csrfOf(t, html)}, "user": {testUser}, "password": {pass}}}
	}
	// when they all post at once
	codes := make([]int, n)
	var wg gosync.WaitGroup
	start := make(chan struct{})
	for i, g := range guesses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res, err := g.c.PostForm(f.srv.URL+"/dashboard/login", g.form)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			codes[i] = res.StatusCode
		}()
	}
	close(start)
	wg.Wait()
	// then at most the user's limit of five had their password checked,
	// and every other one was told to wait
	checked, waited := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusUnauthorized, http.StatusSeeOther:
			checked++
		case http.StatusTooManyRequests:
			waited++
		default:
			t.Fatalf("unexpected status %d", c)
		}
	}
	if checked > 5 || checked+waited != n {
		t.Fatalf("%d passwords checked, %d told to wait; want at most 5 checked", checked, waited)
	}
}

func TestLoginsGoIntoTheAuditTrail(t *testing.T) {
	// given a dashboard
	f := newFixture(t, "sqlite", dashboard.Options{})
	c := f.client(t)
	// when a user logs in after one wrong password
	_, html, _ := get(t, c, f.srv.URL+"/dashboard/login")
	if code, _, _ := post(t, c, f.srv.URL+"/dashboard/login", url.Values{"csrf": {csrfOf(t, html)}, "user": {testUser}, "password": {"salah sekali"}}); code != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", code)
	}
	f.login(t, c)
	// then the trail holds the failure and the success, with the address,
	// and never the password
	log, err := f.st.AuditLog(context.Background(), time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		if e.Action == central.AuditLoginFail || e.Action == central.AuditLoginOK {
			got = append(got, e.Action+" "+e.Target+" "+e.Remote)
			if e.Detail != "" {
				t.Fatalf("login entry carries detail %q", e.Detail)
			}
		}
	}
	want := []string{"login.fail " + testUser + " 127.0.0.1", "login.ok " + testUser + " 127.0.0.1"}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("audit trail of logins: %q, want %q", got, want)
	}
}
