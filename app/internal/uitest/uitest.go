// Package uitest helps the GUI tests run work that screens hand to fyne.Do
// on the test goroutine, as the real app runs it on its UI goroutine
// (Fyne's test driver would run it on the calling goroutine, racing the
// test). Only tests import it.
package uitest

import "fyne.io/fyne/v2"

type queuedApp struct {
	fyne.App
	drv queuedDriver
}

type queuedDriver struct {
	fyne.Driver
	ui chan func()
}

func (a *queuedApp) Driver() fyne.Driver                 { return &a.drv }
func (d *queuedDriver) DoFromGoroutine(f func(), _ bool) { d.ui <- f }

// QueueFyneDo makes fyne.Do of the current (test) app send its work to ui,
// for the test to run. Install it before anything starts a goroutine that
// calls fyne.Do.
func QueueFyneDo(ui chan func()) {
	a := fyne.CurrentApp()
	fyne.SetCurrentApp(&queuedApp{App: a, drv: queuedDriver{Driver: a.Driver(), ui: ui}})
}
