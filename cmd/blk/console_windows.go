package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// blk.exe is a Windows GUI program (`fyne package` links it with -H
// windowsgui), so Windows gives it no console: typed in cmd.exe or
// PowerShell, `blk status` would print nothing at all. When it is started
// with a command and its output goes nowhere, it borrows the console of the
// shell that started it. Output redirected to a file or a pipe (scripts,
// scheduled tasks) is left as it is.
func init() {
	if len(os.Args) < 2 || usableStdHandle(windows.STD_OUTPUT_HANDLE) {
		return
	}
	const attachParentProcess = ^uintptr(0) // ATTACH_PARENT_PROCESS, (DWORD)-1
	attach := windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")
	if ok, _, _ := attach.Call(attachParentProcess); ok == 0 {
		return // started from Explorer or a shortcut: there is no console to borrow
	}
	out, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0)
	if err != nil {
		return
	}
	os.Stdout = out
	if !usableStdHandle(windows.STD_ERROR_HANDLE) {
		os.Stderr = out
	}
}

// usableStdHandle reports whether a standard handle leads somewhere: a
// console, a file or a pipe.
func usableStdHandle(std uint32) bool {
	h, err := windows.GetStdHandle(std)
	if err != nil || h == 0 || h == windows.InvalidHandle {
		return false
	}
	t, err := windows.GetFileType(h)
	return err == nil && t != windows.FILE_TYPE_UNKNOWN
}
