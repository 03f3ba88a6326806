package main

import (
	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// screenSize is the primary monitor's size in Fyne units (zero when GLFW
// cannot tell, as on Wayland before a window shows). Call it on the main
// goroutine after the app made its first window: GLFW is initialised then.
func screenSize(a fyne.App) (size fyne.Size) {
	defer func() {
		if recover() != nil { // no monitor (headless): the default size stands
			size = fyne.Size{}
		}
	}()
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return fyne.Size{}
	}
	mode := m.GetVideoMode()
	if mode == nil {
		return fyne.Size{}
	}
	scale := a.Settings().Scale()
	if scale <= 0 {
		scale = 1
	}
	return fyne.NewSize(float32(mode.Width)/scale, float32(mode.Height)/scale)
}
