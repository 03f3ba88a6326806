package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// variantTheme is the default theme with the light or dark variant forced,
// whatever the OS prefers.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// ApplyTheme sets "light", "dark" or anything else (follow the system).
func ApplyTheme(settings fyne.Settings, name string) {
	if settings == nil {
		return
	}
	switch name {
	case "light":
		settings.SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantLight})
	case "dark":
		settings.SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantDark})
	default:
		settings.SetTheme(theme.DefaultTheme())
	}
}
