package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestWindowOpensAtTheSmallerOfTheDefaultAndNinetyPercentOfTheScreen(t *testing.T) {
	tests := []struct {
		name          string
		saved, screen fyne.Size
		want          fyne.Size
	}{
		{"big screen, first start", fyne.Size{}, fyne.NewSize(1920, 1080), fyne.NewSize(1200, 760)},
		{"1366×768 laptop", fyne.Size{}, fyne.NewSize(1366, 768), fyne.NewSize(1200, 691.2)},
		{"1024×768 laptop", fyne.Size{}, fyne.NewSize(1024, 768), fyne.NewSize(921.6, 691.2)},
		{"screen unknown", fyne.Size{}, fyne.Size{}, fyne.NewSize(1200, 760)},
		{"size the operator left", fyne.NewSize(1500, 900), fyne.NewSize(1920, 1080), fyne.NewSize(1500, 900)},
		{"saved on a bigger screen", fyne.NewSize(1200, 760), fyne.NewSize(1024, 768), fyne.NewSize(921.6, 691.2)},
		{"nonsense saved size", fyne.NewSize(10, 10), fyne.NewSize(1920, 1080), fyne.NewSize(1200, 760)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := WindowSize(tc.saved, tc.screen)
			if d := got.Subtract(tc.want); d.Width*d.Width > 0.01 || d.Height*d.Height > 0.01 {
				t.Errorf("WindowSize(%v, %v) = %v, want %v", tc.saved, tc.screen, got, tc.want)
			}
		})
	}
}

func TestRememberSizeOpensAWindowThatFitsASmallScreen(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetFloat(PrefWidth, 1200) // left at full size on a bigger screen
	a.Preferences().SetFloat(PrefHeight, 760)
	w := test.NewTempWindow(t, nil)
	RememberSize(w, a.Preferences(), fyne.NewSize(1024, 768))
	if got := w.Canvas().Size(); got.Width > 1024*WindowShare+0.5 || got.Height > 768*WindowShare+0.5 {
		t.Fatalf("window on a 1024×768 screen opened at %v", got)
	}
}
