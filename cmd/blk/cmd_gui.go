package main

import (
	"context"
	"errors"
)

func init() {
	register("gui", command{usage: "open the desktop app (the default)", run: runGUI})
}

func runGUI(ctx context.Context, e *env, args []string) error {
	return errors.New("the desktop window is not built yet")
}
