package main

import (
	"bytes"
	"errors"
	"log"
	"runtime/debug"
	"strings"
	gosync "sync"

	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"

	"github.com/kemnaker/blk/app/i18n"
)

// Fyne 2.7 does not return an error when a PC cannot draw; it logs one of
// these reasons through the standard log package (fyne.LogError) and goes on
// without a window, so the app would sit invisible or exit silently. They
// are what drawWatch looks for; the end-to-end check (scripts/windows-check.sh
// and TestGUIWithoutDisplayFailsClearly) notices when Fyne changes them.
var fyneDrawFailures = []string{
	"window creation error",       // glfw.CreateWindow: no OpenGL 2.1 (WGL/GLX), remote desktop
	"failed to initialise OpenGL", // the context exists but lacks GL 2.1 functions
	"failed to initialise GLFW",   // no usable display at all
}

// drawWatch is an io.Writer on the standard logger's path that notes when
// Fyne reports that it cannot draw, and the cause it gives.
type drawWatch struct {
	mu     gosync.Mutex
	reason string
	cause  string
	inside bool // the last line was a draw failure; a "Cause:" line may follow
}

func (d *drawWatch) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, line := range bytes.Split(p, []byte("\n")) {
		s := string(line)
		switch {
		case d.inside && strings.Contains(s, "Cause:"):
			d.cause = strings.TrimSpace(s[strings.Index(s, "Cause:")+len("Cause:"):])
			d.inside = false
		case strings.Contains(s, "Fyne error:"):
			d.inside = false
			for _, r := range fyneDrawFailures {
				if strings.Contains(s, r) && d.reason == "" {
					d.reason, d.inside = r, true
				}
			}
		}
	}
	return len(p), nil
}

// failure is the draw failure seen so far, or nil.
func (d *drawWatch) failure() *drawError {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.reason == "" {
		return nil
	}
	cause := d.reason
	if d.cause != "" {
		cause += ": " + d.cause
	}
	return &drawError{cause: cause}
}

// drawError says that this PC cannot draw the app's window. Its text is in
// the language chosen for the GUI; the technical cause is kept for the log.
type drawError struct {
	cause   string
	dataDir string
	logPath string
}

func (e *drawError) Error() string {
	return i18n.T("gui.nodraw.short", e.dataDir, e.logPath) + " (" + e.cause + ")"
}

// message is the title and text shown in the native message box.
func (e *drawError) message() (title, text string) {
	return i18n.T("gui.nodraw.title"), i18n.T("gui.nodraw.body", e.dataDir, e.logPath)
}

// drawFailed tells the user natively that this PC cannot draw, logs the
// cause, and returns de with where the data and the log are.
func drawFailed(de *drawError, dataDir, logPath string) error {
	de.dataDir, de.logPath = dataDir, logPath
	log.Printf("blk: cannot draw the window: %s", de.cause)
	title, text := de.message()
	showDrawFailure(title, text)
	return de
}

// catchGLFWPanic, deferred in runGUI, turns go-gl/glfw's panic into a
// *drawError in *err: Fyne calls GLFW on after a failed glfwInit (no display,
// no graphics driver at all) and GLFW's binding panics with its *Error.
// Other panics are not ours to translate: they are logged with their stack
// and go on.
func catchGLFWPanic(err *error, dataDir, logPath string) {
	r := recover()
	if r == nil {
		return
	}
	if e, ok := r.(error); ok {
		var ge *glfw.Error
		if errors.As(e, &ge) {
			*err = drawFailed(&drawError{cause: "GLFW: " + ge.Error()}, dataDir, logPath)
			return
		}
	}
	log.Printf("blk: panic: %v\n%s", r, debug.Stack())
	panic(r)
}

// runWindow shows w and runs the app until it quits. Fyne makes the window
// inside Show, before the event loop; when that fails it only logs, and the
// loop would then run with no window at all. runWindow returns a *drawError
// instead, after telling the user natively.
func runWindow(a fyne.App, w fyne.Window, watch *drawWatch, dataDir, logPath string) error {
	w.Show()
	if de := watch.failure(); de != nil {
		return drawFailed(de, dataDir, logPath)
	}
	a.Run()
	return nil
}
