package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/domain"
)

// TestMain lets a test run the real program as a child process: Fyne must
// own the main goroutine, which only TestMain (not a test) runs on.
func TestMain(m *testing.M) {
	if args := os.Getenv("BLK_TEST_MAIN_ARGS"); args != "" {
		var a []string
		if err := json.Unmarshal([]byte(args), &a); err != nil {
			panic(err)
		}
		os.Exit(run(context.Background(), a, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// blkProcess runs blk with args in a child process with env added, and
// returns its exit code and output. The deadline only guards against a hang
// (the failure this file is about): a healthy run takes about a second.
func blkProcess(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	a, _ := json.Marshal(args)
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BLK_TEST_MAIN_ARGS="+string(a))
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("blk %v still running after 2 minutes (an invisible window?): %s", args, out)
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("blk %v: %v", args, err)
	}
	return cmd.ProcessState.ExitCode(), string(out)
}

func readLog(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, logName))
	if err != nil {
		t.Fatalf("no log file in the data folder: %v", err)
	}
	return string(b)
}

func TestGUIWithoutADisplayFailsClearlyAndTheCLIStillWorks(t *testing.T) {
	for _, c := range []struct{ lang, want string }{
		{"id", "jendela tidak dapat dibuka"},
		{"en", "the window cannot open"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			dir := t.TempDir()
			// given a PC where GLFW cannot start (no display at all)
			code, out := blkProcess(t, []string{"DISPLAY=", "WAYLAND_DISPLAY=", "BLK_LANG=" + c.lang}, "--data", dir)
			// then the app exits non-zero with the message, says where the
			// data and the log are, and the log has the cause
			if code != 1 || !strings.Contains(out, c.want) || !strings.Contains(out, filepath.Join(dir, logName)) {
				t.Fatalf("exit %d, output:\n%s\nwant exit 1 and %q with the log's path", code, out, c.want)
			}
			if l := readLog(t, dir); !strings.Contains(l, "cannot draw the window: GLFW: NotInitialized") {
				t.Errorf("log:\n%s\nwant the cause", l)
			}
			// and the command line keeps working on the same data folder
			if code, out := blkProcess(t, []string{"DISPLAY="}, "--data", dir, "init", "--centre-name", "BLK Komunitas Al-Hikmah", "--region", "3201011001"); code != 0 {
				t.Fatalf("init after the failure: %d %s", code, out)
			}
			if counts := status(t, dir)["counts"]; counts == nil {
				t.Error("status after the failure has no counts")
			}
		})
	}
}

// TestGUIWithoutOpenGL21FailsClearly makes Mesa offer only OpenGL 1.4 on a
// real X server, which is what an old Windows driver or a remote desktop
// session offers: GLFW's window creation fails and, before this check
// existed, Fyne went on with no window, invisible and never exiting.
func TestGUIWithoutOpenGL21FailsClearly(t *testing.T) {
	xvfb, err := exec.LookPath("Xvfb")
	if err != nil {
		t.Skip("Xvfb is not installed (apt-get install xvfb); the no-display case still ran")
	}
	display := startXvfb(t, xvfb)
	dir := t.TempDir()
	code, out := blkProcess(t, []string{"DISPLAY=" + display, "WAYLAND_DISPLAY=", "MESA_GL_VERSION_OVERRIDE=1.4", "BLK_LANG=en"}, "--data", dir)
	if code != 1 || !strings.Contains(out, "the window cannot open") {
		t.Fatalf("exit %d, output:\n%s\nwant exit 1 and the message", code, out)
	}
	l := readLog(t, dir)
	for _, want := range []string{"starts the window", "Fyne error:  window creation error", "VersionUnavailable", "cannot draw the window: window creation error"} {
		if !strings.Contains(l, want) {
			t.Errorf("log lacks %q:\n%s", want, l)
		}
	}
}

// startXvfb starts a private X server and returns its display name.
func startXvfb(t *testing.T, xvfb string) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(xvfb, "-displayfd", "3", "-screen", "0", "1024x768x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	var n int
	if _, err := fmt.Fscan(r, &n); err != nil {
		t.Fatalf("Xvfb did not say its display: %v", err)
	}
	r.Close()
	return fmt.Sprintf(":%d", n)
}

func TestDrawWatchRecognisesFynesFailureReports(t *testing.T) {
	for _, c := range []struct {
		reason, cause string
		want          string // "" when it is not a draw failure
	}{
		{"window creation error", "APIUnavailable: WGL: The driver does not appear to support OpenGL", "window creation error: APIUnavailable: WGL: The driver does not appear to support OpenGL"},
		{"failed to initialise OpenGL", "glBlendFuncSeparate", "failed to initialise OpenGL: glBlendFuncSeparate"},
		{"Preferences load error:", "EOF", ""},
	} {
		watch := &drawWatch{}
		prev := log.Writer()
		log.SetOutput(watch)
		// Fyne's own reporting function, as its GLFW driver calls it
		fyne.LogError(c.reason, errors.New(c.cause))
		log.SetOutput(prev)
		got := watch.failure()
		switch {
		case c.want == "" && got != nil:
			t.Errorf("%q: reported as a draw failure %q", c.reason, got.cause)
		case c.want != "" && (got == nil || got.cause != c.want):
			t.Errorf("%q: failure = %v, want cause %q", c.reason, got, c.want)
		}
	}
}

func TestDrawFailureMessageInBothLanguages(t *testing.T) {
	defer i18n.SetLang(domain.Indonesian)
	dir, logPath := `C:\Users\operator\AppData\Roaming\blk-komunitas`, `C:\Users\operator\AppData\Roaming\blk-komunitas\blk.log`
	for _, c := range []struct {
		lang  domain.Lang
		title string
		says  []string
	}{
		{domain.Indonesian, "BLK Komunitas tidak dapat membuka jendela", []string{"OpenGL 2.1", "Remote Desktop", "Data Anda aman", "perbarui driver", "blk status"}},
		{domain.English, "BLK Komunitas cannot open its window", []string{"OpenGL 2.1", "Remote Desktop", "Your data is safe", "update the graphics driver", "blk status"}},
	} {
		i18n.SetLang(c.lang)
		title, text := (&drawError{dataDir: dir, logPath: logPath}).message()
		if title != c.title {
			t.Errorf("%s title = %q, want %q", c.lang, title, c.title)
		}
		for _, want := range append(c.says, dir+"\n", logPath) {
			if !strings.Contains(text, want) {
				t.Errorf("%s message lacks %q:\n%s", c.lang, want, text)
			}
		}
		if strings.Contains(text, "%!") {
			t.Errorf("%s message has a formatting error:\n%s", c.lang, text)
		}
	}
}

func TestVersionSaysFyneAppTOMLsVersion(t *testing.T) {
	code, out, errs := blk(t, "version", "--json")
	if code != 0 {
		t.Fatalf("version: %d %s", code, errs)
	}
	var v struct{ Version, OS string }
	if err := json.Unmarshal([]byte(out), &v); err != nil || v.Version == "" || v.OS == "" {
		t.Fatalf("version --json = %q (%v)", out, err)
	}
	toml, _ := os.ReadFile("../../FyneApp.toml")
	if !strings.Contains(string(toml), fmt.Sprintf("Version = %q", v.Version)) {
		t.Errorf("blk version says %q, FyneApp.toml:\n%s", v.Version, toml)
	}
	if code, out, _ := blk(t, "version"); code != 0 || !strings.Contains(out, "BLK Komunitas "+v.Version) {
		t.Errorf("blk version = %d %q", code, out)
	}
}
