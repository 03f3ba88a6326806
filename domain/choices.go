package domain

// Choice is one allowed value of a coded field with its labels.
type Choice struct {
	Value, ID, EN string
}

// Label renders the choice in lang.
func (c Choice) Label(lang Lang) string {
	if lang == English {
		return c.EN
	}
	return c.ID
}

// Choices lists the allowed values of coded fields, by "table.field".
var Choices = map[string][]Choice{
	"centres.host_type": {
		{"pesantren", "Pondok Pesantren", "Islamic boarding school"},
		{"seminari", "Seminari", "Seminary"},
		{"pasraman", "Pasraman", "Pasraman"},
		{"vihara", "Vihara", "Vihara"},
		{"gereja", "Gereja", "Church"},
		{"ormas_keagamaan", "Ormas keagamaan", "Religious organisation"},
		{"serikat_pekerja", "Serikat pekerja", "Trade union"},
		{"lainnya", "Lainnya", "Other"},
	},
	"centres.classification": {
		{"tumbuh", "Tumbuh", "Growing"},
		{"berkembang", "Berkembang", "Developing"},
		{"mandiri", "Mandiri", "Self-reliant"},
	},
	"trainees.sex": {
		{"L", "Laki-laki", "Male"},
		{"P", "Perempuan", "Female"},
	},
	"trainees.education": {
		{"sd", "SD/sederajat", "Primary"},
		{"smp", "SMP/sederajat", "Junior secondary"},
		{"sma", "SMA/SMK/sederajat", "Senior secondary"},
		{"d3", "Diploma", "Diploma"},
		{"s1", "S1 atau lebih", "Bachelor or higher"},
		{"none", "Tidak sekolah", "No schooling"},
	},
	"trainees.grp": {
		{"santri", "Santri", "Santri (student of the host)"},
		{"resident", "Masyarakat sekitar", "Local resident"},
		{"worker", "Pekerja", "Worker"},
	},
	"cohorts.status": {
		{CohortPlanned, "Direncanakan", "Planned"},
		{CohortRunning, "Berjalan", "Running"},
		{CohortCompleted, "Selesai", "Completed"},
		{CohortCancelled, "Dibatalkan", "Cancelled"},
	},
	"enrollments.status": {
		{EnrollmentActive, "Aktif", "Active"},
		{EnrollmentCompleted, "Lulus", "Completed"},
		{EnrollmentDropped, "Keluar", "Dropped out"},
	},
	"attendance.mark": {
		{AttendancePresent, "Hadir", "Present"},
		{AttendanceSick, "Sakit", "Sick"},
		{AttendanceExcused, "Izin", "Excused"},
		{AttendanceAbsent, "Alpa", "Absent"},
	},
	"assessments.result": {
		{Competent, "Kompeten", "Competent"},
		{NotCompetent, "Belum kompeten", "Not yet competent"},
	},
	"outcomes.status": {
		{OutcomeEmployed, "Bekerja", "Employed"},
		{OutcomeSelfEmployed, "Berwirausaha", "Self-employed"},
		{OutcomeStudying, "Melanjutkan studi", "Studying"},
		{OutcomeNotWorking, "Belum bekerja", "Not working"},
	},
	"outcomes.income_band": {
		{"lt1", "< Rp1 juta", "< Rp1 million"},
		{"1to3", "Rp1–3 juta", "Rp1–3 million"},
		{"3to5", "Rp3–5 juta", "Rp3–5 million"},
		{"gt5", "> Rp5 juta", "> Rp5 million"},
	},
	"outcomes.source": {
		{"phone", "Telepon", "Phone"},
		{"whatsapp", "WhatsApp", "WhatsApp"},
		{"visit", "Kunjungan", "Visit"},
		{"form", "Formulir", "Form"},
	},
	"partners.type": {
		{PartnerIndustry, "Industri", "Industry"},
		{PartnerUMKM, "UMKM", "Small business (UMKM)"},
		{PartnerFunder, "Penyandang dana", "Funder"},
		{PartnerGovernment, "Pemerintah", "Government"},
		{PartnerEducation, "Lembaga pendidikan", "Education"},
		{PartnerOther, "Lainnya", "Other"},
	},
}

// ChoiceLabel renders a stored code of "table.field" in lang (the code itself if unknown).
func ChoiceLabel(key, value string, lang Lang) string {
	for _, c := range Choices[key] {
		if c.Value == value {
			return c.Label(lang)
		}
	}
	return value
}

func validChoice(key, value string) bool {
	for _, c := range Choices[key] {
		if c.Value == value {
			return true
		}
	}
	return false
}
