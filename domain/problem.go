package domain

import (
	"fmt"
	"strings"
)

// Level says whether a problem blocks a save.
type Level int

const (
	Warning Level = iota // saved, with a visible flag
	Invalid              // cannot be saved
)

// Lang is a user-interface language.
type Lang string

const (
	Indonesian Lang = "id"
	English    Lang = "en"
)

// ParseLang maps a locale such as "en_US.UTF-8" or "C" to a language;
// Indonesian is the fallback for anything unknown.
func ParseLang(s string) Lang {
	s = strings.ToLower(s)
	if strings.HasPrefix(s, "en") {
		return English
	}
	return Indonesian
}

// Problem is one validation finding on one field.
type Problem struct {
	Field string
	Level Level
	Code  string // key into the message catalogue
	Args  []any
}

// Message renders the problem in lang.
func (p Problem) Message(lang Lang) string {
	m, ok := messages[p.Code]
	if !ok {
		return p.Code
	}
	f := m.id
	if lang == English {
		f = m.en
	}
	if len(p.Args) == 0 {
		return f
	}
	return fmt.Sprintf(f, p.Args...)
}

// Problems is the result of a validation.
type Problems []Problem

// Invalid reports whether any problem blocks the save.
func (ps Problems) Invalid() bool {
	for _, p := range ps {
		if p.Level == Invalid {
			return true
		}
	}
	return false
}

// Warnings returns only the warnings.
func (ps Problems) Warnings() Problems {
	var out Problems
	for _, p := range ps {
		if p.Level == Warning {
			out = append(out, p)
		}
	}
	return out
}

// For returns the problems of one field.
func (ps Problems) For(field string) Problems {
	var out Problems
	for _, p := range ps {
		if p.Field == field {
			out = append(out, p)
		}
	}
	return out
}

// Text joins the problems as "field: message; …" in lang.
func (ps Problems) Text(lang Lang) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = FieldLabel(p.Field, lang) + ": " + p.Message(lang)
	}
	return strings.Join(parts, "; ")
}

// ValidationError is returned by a store write that was refused.
type ValidationError struct {
	Table    string
	Problems Problems
}

func (e *ValidationError) Error() string { return e.Problems.Text(English) }

// Localized renders the error in lang.
func (e *ValidationError) Localized(lang Lang) string { return e.Problems.Text(lang) }

type message struct{ id, en string }

var messages = map[string]message{
	"required":         {"wajib diisi", "is required"},
	"nik.length":       {"NIK harus 16 angka (sekarang %d angka)", "NIK must be 16 digits (it has %d)"},
	"nik.digits":       {"NIK hanya boleh berisi angka", "NIK may contain digits only"},
	"nik.region":       {"6 angka pertama NIK (%s) bukan kode kecamatan yang dikenal", "the first 6 digits of the NIK (%s) are not a known district code"},
	"nik.date":         {"tanggal lahir di NIK (angka 7–12: %s) tidak valid", "the birth date in the NIK (digits 7–12: %s) is not a valid date"},
	"nik.serial":       {"nomor urut NIK (4 angka terakhir) tidak boleh 0000", "the NIK serial (last 4 digits) may not be 0000"},
	"nik.sex":          {"jenis kelamin tidak cocok dengan NIK (NIK menunjukkan %s)", "sex does not match the NIK (the NIK says %s)"},
	"nik.birthdate":    {"tanggal lahir tidak cocok dengan NIK (NIK menunjukkan %s)", "birth date does not match the NIK (the NIK says %s)"},
	"nik.duplicate":    {"NIK ini sudah terdaftar untuk %s", "this NIK is already registered for %s"},
	"kk.length":        {"No. KK harus 16 angka", "family card number (KK) must be 16 digits"},
	"phone.invalid":    {"nomor HP tidak valid; tulis seperti 0812-3456-7890 atau +62812…", "phone number is not valid; write it like 0812-3456-7890 or +62812…"},
	"phone.landline":   {"ini nomor telepon rumah/kantor, bukan HP/WhatsApp", "this is a landline number, not a mobile/WhatsApp number"},
	"email.invalid":    {"alamat email tidak valid", "email address is not valid"},
	"date.invalid":     {"tanggal tidak valid; gunakan format TTTT-BB-HH", "date is not valid; use the format YYYY-MM-DD"},
	"date.future":      {"tanggal ada di masa depan", "date is in the future"},
	"date.order":       {"tanggal selesai harus sesudah tanggal mulai", "end date must be after the start date"},
	"age.range":        {"umur %d tahun di luar kisaran biasa peserta (15–64)", "age %d is outside the usual trainee range (15–64)"},
	"sex.invalid":      {"pilih L (laki-laki) atau P (perempuan)", "choose L (male) or P (female)"},
	"region.invalid":   {"kode wilayah %s tidak dikenal (gunakan kode Kemendagri 2/4/6/10 angka)", "region code %s is not known (use a Kemendagri code of 2/4/6/10 digits)"},
	"region.village":   {"pilih sampai tingkat desa/kelurahan (10 angka)", "choose down to the village level (10 digits)"},
	"postal.invalid":   {"kode pos harus 5 angka", "postal code must be 5 digits"},
	"choice.invalid":   {"nilai %q tidak ada dalam pilihan", "value %q is not one of the choices"},
	"positive":         {"harus lebih dari 0", "must be more than 0"},
	"year.range":       {"tahun %d tidak masuk akal", "year %d is not plausible"},
	"quota.over":       {"kuota %d melebihi standar 16 peserta", "quota %d is above the standard of 16 trainees"},
	"quota.cap":        {"kuota %d melebihi batas %d peserta", "quota %d is above the cap of %d trainees"},
	"jp.sum":           {"jumlah JP unit kompetensi (%d) tidak sama dengan total JP (%d)", "the competency units add up to %d JP, not the total of %d JP"},
	"cohort.full":      {"angkatan sudah penuh (%d dari batas %d peserta)", "the cohort is full (%d of a cap of %d trainees)"},
	"cohort.overquota": {"angkatan melebihi kuota (%d peserta, kuota %d)", "the cohort is over its quota (%d trainees, quota %d)"},
	"cohort.overlap":   {"peserta sudah ikut angkatan lain pada waktu yang sama (%s)", "the trainee is already in another cohort at the same time (%s)"},
	"ref.missing":      {"data yang dirujuk tidak ditemukan", "the referenced record does not exist"},
	"amount.range":     {"jumlah dana harus lebih dari 0", "amount must be more than 0"},
	"mou.expired":      {"MoU sudah berakhir pada %s", "the MoU ended on %s"},
	"too.long":         {"terlalu panjang (maksimal %d karakter)", "too long (at most %d characters)"},
	"name.chars":       {"nama hanya boleh huruf, spasi, titik, koma, apostrof dan tanda hubung", "name may contain letters, spaces, dots, commas, apostrophes and hyphens only"},
}

var fieldLabels = map[string]message{
	"nik": {"NIK", "NIK"}, "kk": {"No. KK", "Family card no."}, "name": {"Nama", "Name"},
	"sex": {"Jenis kelamin", "Sex"}, "birth_place": {"Tempat lahir", "Birth place"},
	"birth_date": {"Tanggal lahir", "Birth date"}, "education": {"Pendidikan", "Education"},
	"grp": {"Kelompok", "Group"}, "disability": {"Disabilitas", "Disability"},
	"address": {"Alamat", "Address"}, "village_code": {"Desa/kelurahan", "Village"},
	"postal_code": {"Kode pos", "Postal code"}, "phone": {"No. HP", "Phone"},
	"email": {"Email", "Email"}, "host_type": {"Jenis lembaga", "Host type"},
	"classification": {"Klasifikasi", "Classification"}, "head": {"Kepala", "Head"},
	"field_code": {"Kejuruan", "Vocational field"}, "total_jp": {"Total JP", "Total JP"},
	"minutes_per_jp": {"Menit per JP", "Minutes per JP"}, "programme_id": {"Program", "Programme"},
	"year": {"Tahun", "Year"}, "number": {"Nomor angkatan", "Cohort number"},
	"start_date": {"Tanggal mulai", "Start date"}, "end_date": {"Tanggal selesai", "End date"},
	"quota": {"Kuota", "Quota"}, "status": {"Status", "Status"}, "cohort_id": {"Angkatan", "Cohort"},
	"trainee_id": {"Peserta", "Trainee"}, "enrollment_id": {"Pendaftaran", "Enrollment"},
	"date": {"Tanggal", "Date"}, "mark": {"Kehadiran", "Attendance"}, "unit_code": {"Unit kompetensi", "Competency unit"},
	"result": {"Hasil", "Result"}, "assessed_on": {"Tanggal uji", "Test date"},
	"surveyed_on": {"Tanggal penelusuran", "Survey date"}, "type": {"Jenis", "Type"},
	"mou_start": {"Mulai MoU", "MoU start"}, "mou_end": {"Akhir MoU", "MoU end"},
	"source": {"Sumber", "Source"}, "amount": {"Jumlah (Rp)", "Amount (Rp)"},
	"code": {"Kode", "Code"}, "jp": {"JP", "JP"}, "title": {"Judul", "Title"},
	"received_on": {"Tanggal diterima", "Date received"}, "completed_on": {"Tanggal selesai", "Completion date"},
	"certificate_no": {"No. sertifikat", "Certificate no."}, "enrolled_on": {"Tanggal daftar", "Enrolment date"},
}

// FieldLabel is the human name of a field in lang (the field name if unknown).
func FieldLabel(field string, lang Lang) string {
	m, ok := fieldLabels[field]
	if !ok {
		return field
	}
	if lang == English {
		return m.en
	}
	return m.id
}
