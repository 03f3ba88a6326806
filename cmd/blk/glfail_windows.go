package main

import (
	"golang.org/x/sys/windows"
)

// showDrawFailure shows a native message box: with no window of its own, it
// is the only thing a user of the Windows build can see (a GUI program has
// no console for stderr). It needs nothing but user32, so it works on the
// very PCs that cannot draw.
func showDrawFailure(title, text string) {
	t, err1 := windows.UTF16PtrFromString(text)
	c, err2 := windows.UTF16PtrFromString(title)
	if err1 != nil || err2 != nil {
		return
	}
	_, _ = windows.MessageBox(0, t, c, windows.MB_OK|windows.MB_ICONERROR|windows.MB_SETFOREGROUND)
}
