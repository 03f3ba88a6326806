// Package deps pins the modules the project builds on before every package
// that uses them exists, so `go mod tidy` keeps them. It is never imported.
package deps

import (
	_ "fyne.io/fyne/v2/app"
	_ "fyne.io/fyne/v2/test"
	_ "github.com/go-pdf/fpdf"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/xuri/excelize/v2"
	_ "golang.org/x/crypto/bcrypt"
)
