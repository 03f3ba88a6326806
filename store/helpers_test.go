package store_test

import "os"

func osMkdirTemp() (string, error) { return os.MkdirTemp("", "blk-bench-") }
