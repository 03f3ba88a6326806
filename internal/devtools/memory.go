package devtools

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/metrics"
	"runtime/pprof"
	"strings"
)

// MemoryCheckpoint writes a heap profile of the screen just shown to
// dir/heap-<name>.pb.gz and logs one line to w: the process's resident
// memory next to what Go itself holds, so the rest (SQLite's page caches,
// Fyne's textures in the GL driver) shows as the difference.
func MemoryCheckpoint(w io.Writer, dir, name string) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(w, "heap profile:", err)
	}
	if f, err := os.Create(filepath.Join(dir, "heap-"+name+".pb.gz")); err == nil {
		if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
			fmt.Fprintln(w, "heap profile:", err)
		}
		f.Close()
	}
	samples := []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/cpu/classes/gc/total:cpu-seconds"},
		{Name: "/cpu/classes/total:cpu-seconds"},
		{Name: "/cpu/classes/idle:cpu-seconds"},
	}
	metrics.Read(samples)
	goMapped := samples[0].Value.Uint64() - samples[1].Value.Uint64()
	rss, hwm := procStatus("VmRSS:"), procStatus("VmHWM:")
	// The collector's CPU so far next to the CPU Go code has been busy (the
	// runtime's estimate; C threads such as the GL driver's are not in it):
	// what a lower memory limit costs.
	fmt.Fprintf(w, "memory %-20s rss %4d MB  peak %4d MB  go %4d MB (heap objects %4d MB)  other %4d MB  gc cpu %5.2f s of %6.2f s busy\n",
		name, rss>>10, hwm>>10, goMapped>>20, samples[2].Value.Uint64()>>20, (rss<<10-int64(goMapped))>>20,
		samples[3].Value.Float64(), samples[4].Value.Float64()-samples[5].Value.Float64())
}

// procStatus reads one kB field of /proc/self/status (0 where there is none).
func procStatus(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field); ok {
			var kb int64
			if _, err := fmt.Sscan(rest, &kb); err != nil {
				return 0
			}
			return kb
		}
	}
	return 0
}
