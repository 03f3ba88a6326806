package update

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// The platforms a release can be for, and the kind of file each takes.
const (
	PlatformWindows = "windows-amd64" // an NSIS installer, blk-VERSION-setup.exe
	PlatformLinux   = "linux-amd64"   // a tarball, blk-VERSION-linux-amd64.tar.gz, holding blk
)

// TarballProgram is the file of a Linux release tarball that replaces the
// running program.
const TarballProgram = "blk"

// ErrCancelled is an installation the operator declined (Windows' UAC
// prompt answered "No"): nothing changed and the release is still offered.
var ErrCancelled = errors.New("the installation was cancelled; the installed version is unchanged")

// CheckPlatformFile refuses a release file that cannot be installed on
// platform: the updater runs an .exe installer on Windows and unpacks a
// .tar.gz on Linux, so `blk-server release sign` checks this before a
// signature makes the mistake permanent.
func CheckPlatformFile(platform, path string) error {
	name := filepath.Base(path)
	switch platform {
	case PlatformWindows:
		if !strings.HasSuffix(strings.ToLower(name), ".exe") {
			return fmt.Errorf("%s: a %s release is the installer (blk-VERSION-setup.exe from `make dist`)", name, platform)
		}
		return nil
	case PlatformLinux:
		if !strings.HasSuffix(name, ".tar.gz") {
			return fmt.Errorf("%s: a %s release is a .tar.gz holding %s (blk-VERSION-linux-amd64.tar.gz from `make dist`)", name, platform, TarballProgram)
		}
		return CheckTarball(path)
	}
	return fmt.Errorf("platform %q: want %s or %s", platform, PlatformWindows, PlatformLinux)
}

// Plan is what installing a downloaded, verified release does on this PC:
// the command it runs or the files it replaces, and the program to start
// once the app has closed. Tests check the plan; the Installer carries it out.
type Plan struct {
	Version string   // the release being installed
	File    string   // the verified release file
	Run     []string // Windows: the installer and its arguments (silent)
	Elevate bool     // Windows: through the UAC prompt (Program Files needs it)
	Unpack  string   // Linux: the folder the tarball's files go to (beside the program)
	Restart string   // the program to start, as the operator, after the app closed
}

// PlanFor is the plan for the verified release file of m on this PC: exe is
// the running program and installDir, on Windows, the folder the installer
// installed into before ("" when unknown: the program's own folder).
func PlanFor(m Manifest, file, exe, installDir string) (Plan, error) {
	p := Plan{Version: m.Version, File: file}
	switch m.Platform {
	case PlatformWindows:
		// /S installs silently into the folder of the last install (the
		// installer reads it from the registry), keeping the desktop
		// shortcut choice; Program Files needs administrator rights.
		p.Run, p.Elevate = []string{file, "/S"}, true
		p.Restart = exe
		if installDir != "" {
			p.Restart = joinWindows(installDir, "blk.exe")
		}
	case PlatformLinux:
		p.Unpack, p.Restart = filepath.Dir(exe), exe
	default:
		return Plan{}, fmt.Errorf("%w: this app cannot install a %s release", ErrWrongTarget, m.Platform)
	}
	return p, nil
}

// joinWindows joins with a backslash whatever the OS the test runs on.
func joinWindows(dir, name string) string {
	return strings.TrimRight(dir, `\/`) + `\` + name
}

// Installer carries out a plan: runs the installer and waits for it
// (Windows) or puts the tarball's files in place (Linux). It must leave the
// installed version working when it fails.
type Installer interface {
	Install(ctx context.Context, p Plan) error
}

// SystemInstaller is the Installer of the real PC.
type SystemInstaller struct{}

// Install runs p on this PC.
func (SystemInstaller) Install(ctx context.Context, p Plan) error {
	if len(p.Run) > 0 {
		return runInstaller(ctx, p)
	}
	if p.Unpack != "" {
		return UnpackTarball(p.File, p.Restart)
	}
	return errors.New("install: empty plan")
}

// tarEntries reads a release tarball and calls fn for each of its files,
// refusing anything but plain files at the top level (no folders, links or
// paths that could land outside the program's folder).
func tarEntries(path string, fn func(name string, mode os.FileMode, r io.Reader) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: not a .tar.gz: %w", filepath.Base(path), err)
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", filepath.Base(path), err)
		}
		name := strings.TrimPrefix(h.Name, "./")
		if h.Typeflag == tar.TypeDir && (name == "" || name == ".") {
			continue
		}
		if h.Typeflag != tar.TypeReg || name == "" || name == "." || name == ".." ||
			strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
			return fmt.Errorf("%s: entry %q: a release tarball holds plain files at its top level only", filepath.Base(path), h.Name)
		}
		if err := fn(name, h.FileInfo().Mode().Perm(), tr); err != nil {
			return err
		}
	}
}

// CheckTarball refuses a tarball the Linux updater could not install.
func CheckTarball(path string) error {
	found := false
	err := tarEntries(path, func(name string, mode os.FileMode, _ io.Reader) error {
		if name == TarballProgram {
			if mode&0o100 == 0 {
				return fmt.Errorf("%s: %s is not executable (mode %v)", filepath.Base(path), name, mode)
			}
			found = true
		}
		return nil
	})
	if err == nil && !found {
		err = fmt.Errorf("%s: holds no %s at its top level", filepath.Base(path), TarballProgram)
	}
	return err
}

// UnpackTarball installs a Linux release: the tarball's files are written
// into a temporary folder beside exe (same file system), then renamed into
// place, blk over exe itself. A running program keeps its old file open, so
// the app goes on until it restarts. When anything fails before the renames
// nothing has changed.
func UnpackTarball(tarball, exe string) error {
	if err := CheckTarball(tarball); err != nil {
		return err
	}
	dir := filepath.Dir(exe)
	stage, err := os.MkdirTemp(dir, ".blk-update-")
	if err != nil {
		return fmt.Errorf("install into %s: %w", dir, err)
	}
	defer os.RemoveAll(stage)
	var names []string
	err = tarEntries(tarball, func(name string, mode os.FileMode, r io.Reader) error {
		f, err := os.OpenFile(filepath.Join(stage, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
		if err != nil {
			return err
		}
		if _, err := io.Copy(f, r); err != nil {
			f.Close()
			return err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
		names = append(names, name)
		return f.Close()
	})
	if err != nil {
		return fmt.Errorf("install into %s: %w", dir, err)
	}
	// The program last: if another file cannot be replaced, the old
	// program still runs with the files it knows.
	for _, name := range names {
		if name == TarballProgram {
			continue
		}
		if err := os.Rename(filepath.Join(stage, name), filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("install into %s: %w", dir, err)
		}
	}
	if err := os.Rename(filepath.Join(stage, TarballProgram), exe); err != nil {
		return fmt.Errorf("install into %s: %w", dir, err)
	}
	return nil
}
