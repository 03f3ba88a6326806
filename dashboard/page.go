package dashboard

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kemnaker/blk/domain"
)

// page is what every template gets: the request's language and user, the
// CSRF token for its forms, and the page's own Data. Its methods are the
// template helpers, so translations follow the request's language.
type page struct {
	Lang domain.Lang
	User string
	CSRF string
	Path string
	Now  time.Time
	Data any
	// AsOf is when the oldest figure shown was read (cached figures can be
	// up to Options.CacheTTL old); zero means now.
	AsOf time.Time
}

// seen notes that a figure read at t is on the page.
func (p *page) seen(t time.Time) {
	if p.AsOf.IsZero() || t.Before(p.AsOf) {
		p.AsOf = t
	}
}

// DataTime is the footer's "data as of" time.
func (p *page) DataTime() time.Time {
	if p.AsOf.IsZero() {
		return p.Now
	}
	return p.AsOf
}

// T translates a label key; args fill %d/%s verbs.
func (p *page) T(key string, args ...any) string {
	s := tr(p.Lang, key)
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// En reports whether the page is in English (for the language switch).
func (p *page) En() bool { return p.Lang == domain.English }

// N writes a count with the language's thousands separator.
func (p *page) N(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := "."
	if p.Lang == domain.English {
		sep = ","
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Pct writes a 0..1 rate as a percentage with one decimal, "66,7%" in
// Indonesian and "66.7%" in English.
func (p *page) Pct(f float64) string {
	s := strconv.FormatFloat(f*100, 'f', 1, 64)
	if p.Lang != domain.English {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + "%"
}

// Ratio is n/of as a percentage, "–" when of is 0.
func (p *page) Ratio(n, of int) string {
	if of == 0 {
		return "–"
	}
	return p.Pct(float64(n) / float64(of))
}

// Bar is the width of a bar, in percent of the widest one, for an SVG
// rect; a non-zero value never draws as nothing.
func (p *page) Bar(n, max int) string {
	if max <= 0 || n <= 0 {
		return "0%"
	}
	w := float64(n) * 100 / float64(max)
	if w < 0.5 {
		w = 0.5
	}
	return strconv.FormatFloat(w, 'f', 1, 64) + "%"
}

// When writes a time in the server's UTC, or "never".
func (p *page) When(t time.Time) string {
	if t.IsZero() {
		return tr(p.Lang, "never")
	}
	return t.UTC().Format("2006-01-02 15:04") + " UTC"
}

// Ago says how long ago t was, in days or hours.
func (p *page) Ago(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := p.Now.Sub(t)
	switch {
	case d < time.Hour:
		return tr(p.Lang, "ago.now")
	case d < 48*time.Hour:
		return fmt.Sprintf(tr(p.Lang, "ago.hours"), int(d.Hours()))
	}
	return fmt.Sprintf(tr(p.Lang, "ago.days"), int(d.Hours()/24))
}

// Outcome names an outcome status.
func (p *page) Outcome(status string) string {
	return domain.ChoiceLabel("outcomes.status", status, p.Lang)
}

// Field names a record field (for data-quality warnings).
func (p *page) Field(name string) string { return domain.FieldLabel(name, p.Lang) }

// Name picks the Indonesian or English name of a breakdown row, or
// "unknown" when neither is known; code is shown beside it by the template.
func (p *page) Name(id, en string) string {
	if p.Lang == domain.English && en != "" {
		return en
	}
	if id != "" {
		return id
	}
	if en != "" {
		return en
	}
	return tr(p.Lang, "unknown")
}

// LangURL is the current page in the other language.
func (p *page) LangURL() string {
	if p.Lang == domain.English {
		return p.Path + "?lang=id"
	}
	return p.Path + "?lang=en"
}

// Is marks the active navigation entry.
func (p *page) Is(path string) bool { return p.Path == path }

func tr(lang domain.Lang, key string) string {
	l, ok := labels[key]
	if !ok {
		return key
	}
	if lang == domain.English {
		return l[1]
	}
	return l[0]
}

// labels are the dashboard's words, Indonesian first. They are few and
// server-only, so they live here rather than in the desktop's catalogue.
var labels = map[string][2]string{
	"app":              {"Dasbor BLK Komunitas", "BLK Komunitas dashboard"},
	"ministry":         {"Kementerian Ketenagakerjaan", "Ministry of Manpower"},
	"nav.overview":     {"Ringkasan", "Overview"},
	"nav.province":     {"Per provinsi", "By province"},
	"nav.field":        {"Per kejuruan", "By field"},
	"nav.outcomes":     {"Keterserapan", "Outcomes"},
	"nav.duplicates":   {"NIK ganda", "Duplicate NIKs"},
	"nav.quality":      {"Mutu data", "Data quality"},
	"logout":           {"Keluar", "Log out"},
	"login":            {"Masuk", "Log in"},
	"login.title":      {"Masuk ke dasbor", "Log in to the dashboard"},
	"login.user":       {"Nama pengguna", "User name"},
	"login.password":   {"Kata sandi", "Password"},
	"login.bad":        {"Nama pengguna atau kata sandi salah.", "User name or password is wrong."},
	"login.throttled":  {"Terlalu banyak percobaan yang salah. Coba lagi 15 menit lagi.", "Too many wrong attempts. Try again in 15 minutes."},
	"login.hint":       {"Akun dibuat oleh admin server dengan perintah: blk-server user add NAMA", "Accounts are created by the server admin with: blk-server user add NAME"},
	"signed.as":        {"Masuk sebagai", "Signed in as"},
	"centres":          {"Lembaga", "Centres"},
	"centre":           {"Lembaga", "Centre"},
	"centres.active":   {"Lembaga aktif", "Active centres"},
	"centres.stale":    {"Tidak sinkron ≥ 30 hari", "Not synced ≥ 30 days"},
	"devices":          {"PC", "PCs"},
	"trainees":         {"Peserta", "Trainees"},
	"graduates":        {"Lulusan", "Graduates"},
	"traced":           {"Lulusan terlacak", "Graduates traced"},
	"placement":        {"Tingkat keterserapan", "Placement rate"},
	"placement.note":   {"(bekerja + berwirausaha) ÷ lulusan terlacak, menurut survei terakhir tiap peserta", "(employed + self-employed) ÷ graduates traced, by each trainee's latest survey"},
	"region":           {"Wilayah", "Region"},
	"province":         {"Provinsi", "Province"},
	"field":            {"Kejuruan", "Vocational field"},
	"code":             {"Kode", "Code"},
	"last.sync":        {"Sinkron terakhir", "Last sync"},
	"status":           {"Status", "Status"},
	"active":           {"Aktif", "Active"},
	"stale":            {"Tidak sinkron", "Stale"},
	"never":            {"belum pernah", "never"},
	"ago.now":          {"baru saja", "just now"},
	"ago.hours":        {"%d jam lalu", "%d hours ago"},
	"ago.days":         {"%d hari lalu", "%d days ago"},
	"unknown":          {"(tidak diketahui)", "(unknown)"},
	"total":            {"Jumlah", "Total"},
	"share":            {"Porsi", "Share"},
	"grad.rate":        {"% lulus", "% graduated"},
	"none":             {"Tidak ada data.", "No data."},
	"overview.title":   {"Ringkasan nasional", "National overview"},
	"province.title":   {"Peserta dan lulusan per provinsi", "Trainees and graduates by province"},
	"province.note":    {"Provinsi menurut desa/kelurahan peserta; bila kosong, menurut wilayah lembaga.", "Province of the trainee's village; the centre's region when the village is not recorded."},
	"field.title":      {"Peserta dan lulusan per kejuruan", "Trainees and graduates by vocational field"},
	"field.note":       {"Kejuruan program pelatihan dari paket yang diikuti peserta.", "Field of the programme of the training package the trainee took."},
	"outcomes.title":   {"Keterserapan lulusan", "Graduate outcomes"},
	"outcome":          {"Hasil penelusuran", "Tracer outcome"},
	"dup.title":        {"NIK yang tercatat lebih dari sekali", "NIKs recorded more than once"},
	"dup.note":         {"Satu NIK seharusnya satu orang. NIK di beberapa lembaga bisa berarti orang yang sama ikut pelatihan di beberapa tempat, atau salah ketik.", "One NIK should be one person. A NIK in several centres may be one person trained in several places, or a typing error."},
	"dup.across":       {"Antar-lembaga", "Across centres"},
	"dup.within":       {"Dalam satu lembaga", "Within one centre"},
	"dup.records":      {"Catatan", "Records"},
	"dup.count":        {"%d NIK, %d di beberapa lembaga", "%d NIKs, %d across centres"},
	"quality.title":    {"Mutu data per lembaga", "Data quality by centre"},
	"quality.conflict": {"Konflik terbuka", "Open conflicts"},
	"quality.reject":   {"Perubahan ditolak", "Rejected changes"},
	"quality.warn":     {"Peserta dengan peringatan", "Trainees with warnings"},
	"quality.dup":      {"NIK ganda", "Duplicate NIKs"},
	"quality.fields":   {"Peringatan per isian", "Warnings by field"},
	"quality.note":     {"Konflik: dua PC mengubah isian yang sama. Ditolak: perubahan yang tidak lolos pemeriksaan server. Peringatan: data tersimpan tetapi janggal (mis. jenis kelamin tidak cocok dengan NIK).", "Conflicts: two PCs changed the same field. Rejected: changes the server refused. Warnings: saved but suspicious data (e.g. sex not matching the NIK)."},
	"centre.devices":   {"PC terdaftar", "Enrolled PCs"},
	"device":           {"PC", "PC"},
	"enrolled":         {"Terdaftar", "Enrolled"},
	"revoked":          {"Dicabut", "Revoked"},
	"err.title":        {"Terjadi masalah", "Something went wrong"},
	"err.notfound":     {"Halaman tidak ditemukan.", "Page not found."},
	"err.login":        {"Silakan masuk dulu.", "Please log in first."},
	"err.csrf":         {"Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.", "The form expired or is not valid. Reload the page and try again."},
	"err.internal":     {"Kesalahan server; detailnya ada di log server.", "Server error; the details are in the server log."},
	"err.noreports":    {"Penyimpanan server ini tidak mendukung laporan.", "This server storage does not support reports."},
	"back":             {"Kembali ke ringkasan", "Back to the overview"},
	"generated":        {"Data per", "Data as of"},
}
