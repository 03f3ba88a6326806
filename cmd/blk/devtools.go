//go:build devtools

package main

import (
	"io"
	"os"
	"time"

	"fyne.io/fyne/v2"

	"github.com/kemnaker/blk/app"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/internal/devtools"
)

// processStart is as close to the process start as Go code gets.
var processStart = time.Now()

// A developer build (go build -tags devtools, as scripts/screenshots.sh
// makes) answers to:
//
//	BLK_SCREENSHOT_DIR=DIR      the screenshot walk: every screen in both languages, then quit
//	BLK_SCREENSHOT_SETTLE=1.5s  its wait before each picture
//	BLK_PPROF=DIR               with the walk, a heap profile and a memory line per screen
//	BLK_TIMING=1                cold start to the first frame, on stderr
func init() {
	devTools = func(a fyne.App, w fyne.Window, shell *app.Shell, log io.Writer) {
		if dir := os.Getenv("BLK_SCREENSHOT_DIR"); dir != "" {
			settle := 1500 * time.Millisecond
			if v, err := time.ParseDuration(os.Getenv("BLK_SCREENSHOT_SETTLE")); err == nil {
				settle = v
			}
			walk := devtools.Walk{Shell: walkedShell{shell}, Window: w, Dir: dir, Profiles: os.Getenv("BLK_PPROF"),
				Settle: settle, Log: log, Quit: a.Quit}
			go walk.Run()
		}
		if os.Getenv("BLK_TIMING") != "" {
			devtools.ReportStartup(a, w, processStart, log)
		}
	}
}

// walkedShell is the shell as the screenshot walk drives it.
type walkedShell struct{ *app.Shell }

func (s walkedShell) Title() string       { return i18n.T("app.title") }
func (s walkedShell) Lang() domain.Lang   { return i18n.Lang() }
func (s walkedShell) Navigate(key string) { s.Shell.Navigate(key) }
func (s walkedShell) InWizard() bool {
	var wizard bool
	fyne.DoAndWait(func() { wizard = len(s.NavKeys()) > 0 && s.Current() == nil })
	return wizard
}
