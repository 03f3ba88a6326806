//go:build windows

package update

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTheInstallerRunsThroughTheUACVerbAndItsExitCodeIsRead runs a real
// installer the way the updater does (ShellExecuteEx, "runas", /S, waiting
// for its exit code), then finds where it installed. It needs a real
// installer and a Windows to install into, so it runs in
// scripts/windows-check.sh under Wine, which sets BLK_TEST_INSTALLER.
func TestTheInstallerRunsThroughTheUACVerbAndItsExitCodeIsRead(t *testing.T) {
	setup := os.Getenv("BLK_TEST_INSTALLER")
	if setup == "" {
		t.Skip("needs BLK_TEST_INSTALLER, an installer to run for real (scripts/windows-check.sh sets it under Wine)")
	}
	ctx := context.Background()
	m := Manifest{Version: "0.0.1", Platform: PlatformWindows, File: filepath.Base(setup)}
	p, err := PlanFor(m, setup, `C:\somewhere\else\blk.exe`, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := (SystemInstaller{}).Install(ctx, p); err != nil {
		t.Fatalf("install %+v: %v", p, err)
	}
	dir := InstallDir()
	if dir == "" {
		t.Fatal("InstallDir: the installer's folder is not in the registry")
	}
	p, _ = PlanFor(m, setup, `C:\somewhere\else\blk.exe`, dir)
	if _, err := os.Stat(p.Restart); err != nil || !strings.EqualFold(filepath.Dir(p.Restart), filepath.Clean(dir)) {
		t.Errorf("the program to restart, %s: %v", p.Restart, err)
	}
	t.Logf("installed into %s; restart %s", dir, p.Restart)

	// An installer that fails says so with its exit code.
	fail := Plan{Run: []string{filepath.Join(os.Getenv("WINDIR"), "system32", "cmd.exe"), "/c", "exit 3"}}
	if err := (SystemInstaller{}).Install(ctx, fail); err == nil || !strings.Contains(err.Error(), "exit code 3") {
		t.Errorf("a failing installer: %v, want its exit code 3", err)
	}
}
