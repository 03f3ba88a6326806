package traineeimport

import (
	"fmt"

	"github.com/kemnaker/blk/domain"
)

// Messages about reading a file (not about the data's validity, which the
// domain package words) in Indonesian and English.
var messages = map[string][2]string{
	"nik.number": {
		"%s diketik sebagai angka di Excel (%s): Excel hanya menyimpan 15 angka penting, jadi angka terakhir hilang. Format kolom sebagai Teks lalu ketik ulang NIK-nya",
		"%s was typed as a number in Excel (%s): Excel keeps only 15 significant digits, so the last digits are lost. Format the column as Text and type the NIK again",
	},
	"date.unreadable": {
		"%s %q tidak terbaca sebagai tanggal; tulis seperti 17/08/2001 atau 17 Agustus 2001",
		"%s %q cannot be read as a date; write it like 17/08/2001 or 17 Agustus 2001",
	},
	"nik.twice": {
		"NIK ini sudah ada di baris %d file ini; baris ini tidak disimpan. Hapus salah satunya",
		"this NIK is already on row %d of this file; this row was not saved. Remove one of them",
	},
	"no.header": {
		"tidak menemukan baris judul kolom dengan NIK dan Nama di %d baris pertama; beri judul kolom \"NIK\" dan \"Nama\"",
		"no header row with NIK and Name in the first %d rows; give the columns the headers \"NIK\" and \"Nama\"",
	},
	"format": {
		"hanya file .xlsx atau .csv yang bisa diimpor; simpan ulang dari Excel sebagai .xlsx",
		"only .xlsx or .csv files can be imported; save it again from Excel as .xlsx",
	},
	"unreadable": {
		"file %s tidak bisa dibaca: %v",
		"file %s cannot be read: %v",
	},
	"row": {"baris %d: ", "row %d: "},
	"no.rows": {
		"file tidak berisi baris peserta di bawah judul kolom",
		"the file has no trainee rows under the header row",
	},
}

func msg(lang domain.Lang, key string, args ...any) string {
	m := messages[key]
	f := m[0]
	if lang == domain.English {
		f = m[1]
	}
	return fmt.Sprintf(f, args...)
}

// FileError is an import that could not read the file at all (as opposed
// to rows that were refused). Its text is in the user's language.
type FileError struct {
	Path string
	Text string
	Err  error
}

func (e *FileError) Error() string { return e.Text }
func (e *FileError) Unwrap() error { return e.Err }
