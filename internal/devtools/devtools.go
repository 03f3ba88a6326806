// Package devtools is what developers run the desktop app with and
// operators never get: the screenshot walk behind `make screenshots`
// (xdotool and ImageMagick under Xvfb), heap profiles and memory lines per
// screen, and the cold-start timing of docs/PERFORMANCE.md. cmd/blk links it
// only when built with -tags devtools (cmd/blk/devtools.go); the product
// binary does not contain it, which internal/arch checks.
package devtools

import (
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/kemnaker/blk/domain"
)

// Shell is the running app as the walk drives it.
type Shell interface {
	Title() string     // the window's title, to find it on the X server
	Lang() domain.Lang // the language shown
	SetLang(domain.Lang)
	// InWizard reports the first-run wizard (no centre yet), which has a
	// server step that SkipServerStep passes.
	InWizard() bool
	SkipServerStep()
	NavKeys() []string // the main screens, in menu order
	Navigate(key string)
	ShortcutNew() // the form of a new record on the current screen
}

// Walk is the screenshot walk: every screen in both languages saved as
// dir/<screen>-<lang>.png, then quit. It drives the real window, so the
// pictures are what operators see. With profiles set it also writes a
// heap profile per screen there and logs memory (MemoryCheckpoint).
type Walk struct {
	Shell    Shell
	Window   fyne.Window
	Dir      string
	Profiles string        // heap profiles' folder; "" for none
	Settle   time.Duration // wait before each picture
	Log      io.Writer
	Quit     func()
}

// Run walks; call it on its own goroutine once the window is shown.
func (wk Walk) Run() {
	time.Sleep(2 * wk.Settle)
	// The window is grabbed from the X server (ImageMagick's import): the
	// GL driver's Canvas().Capture() comes back blank under Xvfb.
	winID := ""
	if out, err := exec.Command("xdotool", "search", "--name", "^"+wk.Shell.Title()+"$").Output(); err == nil {
		winID = strings.TrimSpace(strings.Split(string(out), "\n")[0])
	}
	if err := os.MkdirAll(wk.Dir, 0o755); err != nil {
		fmt.Fprintln(wk.Log, "screenshots:", err)
	}
	for _, l := range []domain.Lang{domain.Indonesian, domain.English} {
		fyne.DoAndWait(func() { wk.Shell.SetLang(l) })
		if wk.Shell.InWizard() {
			wk.shot(winID, "wizard") // no centre yet: the first-run wizard is all there is
			fyne.DoAndWait(wk.Shell.SkipServerStep)
			wk.shot(winID, "wizard-centre")
			continue
		}
		for _, key := range wk.Shell.NavKeys() {
			fyne.DoAndWait(func() { wk.Shell.Navigate(key) })
			wk.shot(winID, strings.TrimPrefix(key, "nav."))
			if key == "nav.trainees" {
				fyne.DoAndWait(wk.Shell.ShortcutNew)
				wk.shot(winID, "trainee-form")
			}
		}
	}
	fyne.DoAndWait(wk.Quit)
}

// shot saves the window as dir/<name>-<lang>.png: from the X server when
// the window was found there, else from the canvas.
func (wk Walk) shot(winID, name string) {
	time.Sleep(wk.Settle)
	name += "-" + string(wk.Shell.Lang())
	// Whether the screen fits the window the app chose (the smaller of
	// 1200x760 and 90 % of the screen): a content wider or taller than it
	// makes the window grow past the screen.
	fyne.DoAndWait(func() {
		min, size := wk.Window.Content().MinSize(), wk.Window.Canvas().Size()
		verdict := "fits"
		if min.Width > size.Width || min.Height > size.Height {
			verdict = "DOES NOT FIT"
		}
		fmt.Fprintf(wk.Log, "%s: content needs %.0fx%.0f, window %.0fx%.0f: %s\n", name, min.Width, min.Height, size.Width, size.Height, verdict)
	})
	if wk.Profiles != "" {
		MemoryCheckpoint(wk.Log, wk.Profiles, name)
	}
	path := filepath.Join(wk.Dir, name+".png")
	if winID != "" {
		out, err := exec.Command("import", "-window", winID, path).CombinedOutput()
		if err == nil {
			return
		}
		fmt.Fprintf(wk.Log, "screenshot %s: %v %s\n", name, err, out)
	}
	fyne.DoAndWait(func() {
		f, err := os.Create(path)
		if err != nil {
			fmt.Fprintln(wk.Log, "screenshot:", err)
			return
		}
		defer f.Close()
		if err := png.Encode(f, wk.Window.Canvas().Capture()); err != nil {
			fmt.Fprintln(wk.Log, "screenshot:", err)
		}
	})
}

// ReportStartup logs the cold start: process start to the window shown,
// and to the first frame drawn.
func ReportStartup(a fyne.App, w fyne.Window, processStart time.Time, log io.Writer) {
	a.Lifecycle().SetOnStarted(func() {
		fmt.Fprintf(log, "started after %d ms\n", time.Since(processStart).Milliseconds())
		go func() {
			time.Sleep(50 * time.Millisecond)
			fyne.DoAndWait(func() { w.Canvas().Capture() })
			fmt.Fprintf(log, "first frame after %d ms\n", time.Since(processStart).Milliseconds())
		}()
	})
}
