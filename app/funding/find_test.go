package funding

import "github.com/kemnaker/blk/app/internal/uitest"

// findButton: see uitest.FindButton.
var findButton = uitest.FindButton
