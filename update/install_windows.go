package update

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// appKey is where the installer (packaging/windows/blk.nsi) records the
// folder it installed into.
const appKey = `Software\Kemnaker\BLK Komunitas`

// InstallDir is the folder the installer last installed into, "" when the
// app was never installed (a bare blk.exe).
func InstallDir() string {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, appKey, registry.QUERY_VALUE|registry.WOW64_64KEY)
	if err != nil {
		return ""
	}
	defer k.Close()
	dir, _, err := k.GetStringValue("InstallDir")
	if err != nil {
		return ""
	}
	return dir
}

// shellExecuteInfo is SHELLEXECUTEINFOW (shellapi.h), laid out as on amd64.
type shellExecuteInfo struct {
	size       uint32
	mask       uint32
	hwnd       windows.Handle
	verb       *uint16
	file       *uint16
	parameters *uint16
	directory  *uint16
	show       int32
	instApp    windows.Handle
	idList     uintptr
	class      *uint16
	keyClass   windows.Handle
	hotKey     uint32
	icon       windows.Handle
	process    windows.Handle
}

const (
	seeMaskNoCloseProcess = 0x00000040 // give us the process handle to wait on
	seeMaskNoAsync        = 0x00000100
	seeMaskFlagNoUI       = 0x00000400 // errors come back to us, not as dialogs
)

var procShellExecuteEx = windows.NewLazySystemDLL("shell32.dll").NewProc("ShellExecuteExW")

// runInstaller starts the installer through the "runas" verb, which shows
// the UAC prompt (an operator without administrator rights is asked for an
// administrator's password), and waits for it. The app itself stays a
// normal user's process throughout, so the program it restarts afterwards
// is one too.
func runInstaller(ctx context.Context, p Plan) error {
	verb := "open"
	if p.Elevate {
		verb = "runas"
	}
	v, err1 := windows.UTF16PtrFromString(verb)
	f, err2 := windows.UTF16PtrFromString(p.Run[0])
	a, err3 := windows.UTF16PtrFromString(windowsArgs(p.Run[1:]))
	d, err4 := windows.UTF16PtrFromString(filepath.Dir(p.Run[0]))
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return err
	}
	info := shellExecuteInfo{
		mask: seeMaskNoCloseProcess | seeMaskNoAsync | seeMaskFlagNoUI,
		verb: v, file: f, parameters: a, directory: d, show: windows.SW_SHOWNORMAL,
	}
	info.size = uint32(unsafe.Sizeof(info))
	if r, _, err := procShellExecuteEx.Call(uintptr(unsafe.Pointer(&info))); r == 0 {
		if errors.Is(err, windows.ERROR_CANCELLED) {
			return ErrCancelled
		}
		return fmt.Errorf("start the installer %s: %w", filepath.Base(p.Run[0]), err)
	}
	if info.process == 0 {
		return fmt.Errorf("start the installer %s: no process to wait for", filepath.Base(p.Run[0]))
	}
	defer windows.CloseHandle(info.process)
	for {
		ev, err := windows.WaitForSingleObject(info.process, 500)
		if err != nil {
			return fmt.Errorf("wait for the installer: %w", err)
		}
		if ev == windows.WAIT_OBJECT_0 {
			break
		}
		if ctx.Err() != nil {
			// An elevated installer cannot be stopped from here; it
			// finishes on its own and the next start sees the result.
			return ctx.Err()
		}
	}
	var code uint32
	if err := windows.GetExitCodeProcess(info.process, &code); err != nil {
		return fmt.Errorf("the installer's result: %w", err)
	}
	if code != 0 {
		// NSIS: 1 cancelled by the user, 2 aborted by the script.
		return fmt.Errorf("the installer stopped with exit code %d; the installed version is unchanged", code)
	}
	return nil
}

// windowsArgs quotes arguments for a Windows command line.
func windowsArgs(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = syscall.EscapeArg(a)
	}
	return strings.Join(q, " ")
}

// Restart starts the installed program once this one has closed. A
// process started from the app runs as the app's user; should the app
// itself run elevated, Explorer starts the program instead, as the
// signed-in user (the installer's finish page does the same), so the
// restarted app never runs as administrator and keeps the operator's data
// folder.
func Restart(p Plan) error {
	var cmd *exec.Cmd
	if windows.GetCurrentProcessToken().IsElevated() {
		cmd = exec.Command(filepath.Join(os.Getenv("WINDIR"), "explorer.exe"), p.Restart)
	} else {
		cmd = exec.Command(p.Restart, os.Args[1:]...)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("restart %s: %w", p.Restart, err)
	}
	return cmd.Process.Release()
}
