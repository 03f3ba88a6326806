//go:build unix

package update

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
)

// InstallDir is the Windows installer's folder; elsewhere there is none.
func InstallDir() string { return "" }

func runInstaller(context.Context, Plan) error {
	return errors.New("install: an installer runs on Windows only")
}

// Restart replaces this process with the newly unpacked program, with the
// same arguments and environment: the same user, the same data folder.
func Restart(p Plan) error {
	args := append([]string{os.Args[0]}, os.Args[1:]...)
	if err := syscall.Exec(p.Restart, args, os.Environ()); err != nil {
		return fmt.Errorf("restart %s: %w", p.Restart, err)
	}
	return nil
}
