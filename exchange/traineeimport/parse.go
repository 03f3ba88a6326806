package traineeimport

import (
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/kemnaker/blk/domain"
)

// This file reads values the way people type them in spreadsheets. It only
// turns spellings into the stored form (dates to ISO, "Perempuan" to "P");
// whether a value is acceptable is decided by domain.Validate and the store.

// headerKey folds a header for matching: lower case, letters and digits only,
// so "No. HP/WA", "NO HP / WA" and "no_hp_wa" are one key.
func headerKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// headerAliases maps folded header spellings to trainee fields. The
// Indonesian and English labels of every field are added in init, so an
// exported list always re-imports.
var headerAliases = map[string]string{
	"nik": "nik", "noktp": "nik", "nomorktp": "nik", "ktp": "nik", "nonik": "nik",
	"nomorindukkependudukan": "nik", "niknoktp": "nik", "noktpnik": "nik",
	"nokk": "kk", "nomorkk": "kk", "kk": "kk", "nomorkartukeluarga": "kk", "nokartukeluarga": "kk",
	"nama": "name", "namalengkap": "name", "namapeserta": "name", "namasesuaiktp": "name",
	"namalengkapsesuaiktp": "name", "name": "name", "fullname": "name",
	"lp": "sex", "jeniskelamin": "sex", "jk": "sex", "kelamin": "sex", "jeniskelaminlp": "sex", "sex": "sex", "gender": "sex",
	"tempatlahir": "birth_place", "tmplahir": "birth_place", "tmptlahir": "birth_place", "kotalahir": "birth_place",
	"tgllahir": "birth_date", "tanggallahir": "birth_date", "tgllhr": "birth_date", "tanggallhr": "birth_date", "dateofbirth": "birth_date",
	"pendidikan": "education", "pendidikanterakhir": "education", "pendidikanakhir": "education", "ijazahterakhir": "education",
	"kelompok": "grp", "kelompokpeserta": "grp", "asalpeserta": "grp",
	"disabilitas": "disability", "jenisdisabilitas": "disability", "penyandangdisabilitas": "disability",
	"alamat": "address", "alamatlengkap": "address", "alamatrumah": "address", "alamatsesuaiktp": "address",
	"desakelurahan": "village_code", "kodewilayah": "village_code", "kodedesa": "village_code", "desa": "village_code",
	"desakodewilayah": "village_code", "kodedesakelurahan": "village_code", "kelurahan": "village_code",
	"kodepos": "postal_code",
	"nohp":    "phone", "nohpwa": "phone", "hp": "phone", "nomorhp": "phone", "nomorhpwa": "phone", "nowa": "phone",
	"nowhatsapp": "phone", "whatsapp": "phone", "notelp": "phone", "notelepon": "phone", "telepon": "phone",
	"telp": "phone", "nomortelepon": "phone", "notelphp": "phone", "hpwa": "phone", "phone": "phone",
	"email": "email", "surel": "email", "alamatemail": "email",
	// "Tempat, Tgl Lahir" holds both in one cell: "Bogor, 17-08-2001".
	"tempattgllahir": placeAndDate, "tempattanggallahir": placeAndDate, "ttl": placeAndDate,
	"tempattgllhr": placeAndDate, "tempatdantanggallahir": placeAndDate,
}

// placeAndDate is the pseudo-field of a combined birth place and date column.
const placeAndDate = "birth_place_date"

// splitPlaceDate splits "Bogor, 17 Agustus 2001" at its last comma.
func splitPlaceDate(v string) (place, date string) {
	i := strings.LastIndex(v, ",")
	if i < 0 {
		return "", strings.TrimSpace(v)
	}
	return strings.TrimSpace(v[:i]), strings.TrimSpace(v[i+1:])
}

// importFields are the trainee fields an import can fill.
var importFields = []string{"nik", "kk", "name", "sex", "birth_place", "birth_date", "education", "grp",
	"disability", "address", "village_code", "postal_code", "phone", "email"}

func init() {
	for _, f := range importFields {
		for _, l := range []domain.Lang{domain.Indonesian, domain.English} {
			if k := headerKey(domain.FieldLabel(f, l)); k != "" {
				headerAliases[k] = f
			}
		}
	}
}

var (
	reColumnNumber = regexp.MustCompile(`^\(?\d{1,2}\)?$`)
	reScientific   = regexp.MustCompile(`(?i)^\d+([.,]\d+)?e\+?\d+$`)
)

// parseDate reads a date as people type it (domain.ReadDate).
func parseDate(s string, now time.Time) (string, bool) { return domain.ReadDate(s, now) }

// excelSerialDate converts an Excel day number (1900 system) to ISO; Excel's
// phantom 29 Feb 1900 does not matter for anyone alive.
func excelSerialDate(serial float64) (string, bool) {
	if serial < 1 || serial > 2958465 {
		return "", false
	}
	t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(serial))
	return t.Format(domain.DateLayout), true
}

// parseSex maps L/P, Laki-laki/Perempuan, Pria/Wanita, the pesantren's
// Putra/Putri and Ikhwan/Akhwat (and English) to L or P; anything else is
// returned as typed.
func parseSex(s string) string {
	switch headerKey(s) {
	case "l", "lk", "laki", "lakilaki", "laki2", "pria", "male", "m", "cowok", "putra", "ikhwan", "lelaki":
		return "L"
	case "p", "pr", "prp", "perempuan", "wanita", "female", "f", "w", "cewek", "putri", "akhwat":
		return "P"
	}
	return strings.TrimSpace(s)
}

var choiceSynonyms = map[string]map[string]string{
	"trainees.education": {
		"sd": "sd", "mi": "sd", "sdmi": "sd", "sederajatsd": "sd", "paketa": "sd", "tamatsd": "sd", "ula": "sd",
		"smp": "smp", "mts": "smp", "smpmts": "smp", "sltp": "smp", "paketb": "smp", "wustha": "smp", "wustho": "smp", "wusta": "smp",
		"sma": "sma", "smk": "sma", "ma": "sma", "slta": "sma", "smasmk": "sma", "smasmkma": "sma", "mak": "sma",
		"paketc": "sma", "ulya": "sma", "ulyaa": "sma", "muadalah": "sma", "muadalahulya": "sma",
		"d1": "d3", "d2": "d3", "d3": "d3", "diploma": "d3", "diii": "d3", "dii": "d3", "di": "d3",
		"d4": "s1", "div": "s1", "s1": "s1", "s2": "s1", "s3": "s1", "sarjana": "s1", "magister": "s1", "doktor": "s1",
		"tidaksekolah": "none", "tidaktamatsd": "none", "belumsekolah": "none", "none": "none", "tidakbersekolah": "none",
		"belumtamatsd": "none", "tidakada": "none",
	},
	"trainees.grp": {
		"santri": "santri", "masyarakat": "resident", "warga": "resident", "wargasekitar": "resident",
		"umum": "resident", "pekerja": "worker", "buruh": "worker", "karyawan": "worker",
	},
}

// educationWords recognise the level inside longer spellings such as
// "Pesantren (Ulya)", "Madrasah Tsanawiyah" or "Paket C (setara SMA)": the
// first word found, highest level first, decides.
var educationWords = []struct{ word, code string }{
	{"ulya", "sma"}, {"aliyah", "sma"}, {"muadalah", "sma"}, {"paketc", "sma"}, {"sma", "sma"}, {"smk", "sma"},
	{"wustha", "smp"}, {"wustho", "smp"}, {"wusta", "smp"}, {"tsanawiyah", "smp"}, {"tsanawiyyah", "smp"}, {"paketb", "smp"}, {"smp", "smp"},
	{"ibtidaiyah", "sd"}, {"ibtidaiyyah", "sd"}, {"ula", "sd"}, {"paketa", "sd"},
}

// parseChoice maps a code, its Indonesian or English label, or a common
// synonym to the stored code; unknown text is returned as typed (open
// choices keep it, with a warning).
func parseChoice(key, s string) string {
	k := headerKey(s)
	if k == "" {
		return ""
	}
	for _, c := range domain.Choices[key] {
		if k == headerKey(c.Value) || k == headerKey(c.Label(domain.Indonesian)) || k == headerKey(c.Label(domain.English)) {
			return c.Value
		}
	}
	if v, ok := choiceSynonyms[key][k]; ok {
		return v
	}
	if key == "trainees.education" {
		for _, w := range educationWords {
			if strings.Contains(k, w.word) {
				return w.code
			}
		}
	}
	return strings.TrimSpace(s)
}

// footerWords start the lines people put under a list: signatures, totals.
var footerWords = []string{"mengetahui", "kepala", "ketua", "ttd", "tandatangan", "dicetak", "jumlah", "total", "catatan", "keterangan", "disahkan", "dibuat"}

func isFooter(cells []string) bool {
	for _, c := range cells {
		k := headerKey(c)
		for _, w := range footerWords {
			if strings.HasPrefix(k, w) {
				return true
			}
		}
	}
	return false
}

// isColumnNumbering recognises the "(1) (2) (3) …" row government forms put
// under their headers.
func isColumnNumbering(cells []string) bool {
	n := 0
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if !reColumnNumber.MatchString(c) {
			return false
		}
		n++
	}
	return n >= 3
}
