package main

import (
	"net"
	"strings"
	"testing"

	"github.com/kemnaker/blk/msg"
)

// TestEnrolAgainstANetworkFailureSaysWhatToDo: the command's one-line
// reason is the plain sentence in the chosen language; the technical
// detail is on the line before it, for support staff.
func TestEnrolAgainstANetworkFailureSaysWhatToDo(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	for _, c := range []struct {
		lang msg.Lang
		env  string
	}{{msg.Indonesian, "id"}, {msg.English, "en"}} {
		t.Setenv("BLK_LANG", c.env)
		code, _, errs := blk(t, "--data", t.TempDir(), "enrol", "--server", closed, "--code", "ABC-123")
		if code == 0 {
			t.Fatal("enrol against a closed port succeeded")
		}
		lines := strings.Split(strings.TrimSpace(errs), "\n")
		last := lines[len(lines)-1]
		if last != "blk enrol: "+msg.T(c.lang, "syncerr.offline") {
			t.Fatalf("%s: reason %q", c.env, last)
		}
		if len(lines) < 2 || !strings.Contains(lines[len(lines)-2], msg.T(c.lang, "syncerr.detail")+": ") || !strings.Contains(lines[len(lines)-2], "connect") {
			t.Fatalf("%s: no technical detail before the reason: %q", c.env, errs)
		}
	}
}
