package programmes

import (
	"fyne.io/fyne/v2/test"

	"github.com/kemnaker/blk/app/internal/uitest"
)

// findButton: see uitest.FindButton.
var findButton = uitest.FindButton

// testRenderer is the renderer Fyne's test driver keeps for w.
var testRenderer = test.WidgetRenderer
