package domain

// Meta is embedded in every synced record. The id is a UUIDv7 made on the
// device (or a UUIDv5 of a natural key, see NaturalID); Deleted is the
// tombstone that makes deletes sync like any other field.
type Meta struct {
	ID       string `db:"id"`
	CentreID string `db:"centre_id"`
	Deleted  bool   `db:"deleted"`
}

// Base returns the embedded metadata; every record type gets it by embedding.
func (m *Meta) Base() *Meta { return m }

// Centre is a BLK Komunitas [Lembaga BLKK].
type Centre struct {
	Meta
	Name           string `db:"name"`
	HostType       string `db:"host_type"`
	Foundation     string `db:"foundation"`
	Address        string `db:"address"`
	VillageCode    string `db:"village_code"`
	Classification string `db:"classification"`
	Head           string `db:"head"`
	Phone          string `db:"phone"`
	Fields         string `db:"fields"` // comma-separated vocational field codes
}

// VocationalField is national reference data [Kejuruan]; CentreID is empty.
type VocationalField struct {
	Meta
	Code   string `db:"code"`
	NameID string `db:"name_id"`
	NameEN string `db:"name_en"`
}

// CompetencyUnit is national reference data [Unit kompetensi]; CentreID is empty.
type CompetencyUnit struct {
	Meta
	FieldCode string `db:"field_code"`
	Code      string `db:"code"` // SKKNI unit code
	Title     string `db:"title"`
	JP        int64  `db:"jp"`
}

// Programme is a training programme [Program pelatihan].
type Programme struct {
	Meta
	Name         string `db:"name"`
	FieldCode    string `db:"field_code"`
	TotalJP      int64  `db:"total_jp"`
	MinutesPerJP int64  `db:"minutes_per_jp"`
	Description  string `db:"description"`
}

// ProgrammeUnit is one competency unit taught in a programme; its id is
// derived from (programme, unit code) so two PCs adding the same unit merge.
type ProgrammeUnit struct {
	Meta
	ProgrammeID string `db:"programme_id"`
	UnitCode    string `db:"unit_code"`
	Title       string `db:"title"`
	JP          int64  `db:"jp"`
	Position    int64  `db:"position"`
}

// Cohort statuses.
const (
	CohortPlanned   = "planned"
	CohortRunning   = "running"
	CohortCompleted = "completed"
	CohortCancelled = "cancelled"
)

// Cohort is one training package [Paket/Angkatan].
type Cohort struct {
	Meta
	ProgrammeID   string `db:"programme_id"`
	Year          int64  `db:"year"`
	Number        int64  `db:"number"`
	StartDate     string `db:"start_date"` // YYYY-MM-DD
	EndDate       string `db:"end_date"`
	Quota         int64  `db:"quota"`
	InstructorIDs string `db:"instructor_ids"` // comma-separated instructor ids
	FundingSource string `db:"funding_source"`
	Status        string `db:"status"`
}

// Trainee is a person in training [Peserta].
type Trainee struct {
	Meta
	NIK         string `db:"nik"`
	KK          string `db:"kk"`
	Name        string `db:"name"`
	Sex         string `db:"sex"` // L or P
	BirthPlace  string `db:"birth_place"`
	BirthDate   string `db:"birth_date"` // YYYY-MM-DD
	Education   string `db:"education"`
	Group       string `db:"grp"` // santri, resident, worker
	Disability  string `db:"disability"`
	Address     string `db:"address"`
	VillageCode string `db:"village_code"`
	PostalCode  string `db:"postal_code"`
	Phone       string `db:"phone"` // +62…
	Email       string `db:"email"`
}

// Enrollment statuses.
const (
	EnrollmentActive    = "active"
	EnrollmentCompleted = "completed"
	EnrollmentDropped   = "dropped"
)

// Enrollment puts a trainee in a cohort; its id is derived from (cohort, trainee).
type Enrollment struct {
	Meta
	CohortID        string `db:"cohort_id"`
	TraineeID       string `db:"trainee_id"`
	EnrolledOn      string `db:"enrolled_on"`
	Status          string `db:"status"`
	CompletedOn     string `db:"completed_on"`
	CertificateNo   string `db:"certificate_no"` // training certificate issued by the centre
	CertificateDate string `db:"certificate_date"`
}

// Attendance marks.
const (
	AttendancePresent = "H" // hadir
	AttendanceSick    = "S" // sakit
	AttendanceExcused = "I" // izin
	AttendanceAbsent  = "A" // alpa
)

// Attendance is one trainee's mark on one session day; its id is derived
// from (enrollment, date) so two PCs marking the same day write one row.
type Attendance struct {
	Meta
	EnrollmentID string `db:"enrollment_id"`
	Date         string `db:"date"`
	Mark         string `db:"mark"`
}

// Assessment results.
const (
	Competent    = "K"
	NotCompetent = "BK"
)

// Assessment is the competency test result of one unit for one enrollment
// [Uji kompetensi]; its id is derived from (enrollment, unit code).
type Assessment struct {
	Meta
	EnrollmentID      string `db:"enrollment_id"`
	UnitCode          string `db:"unit_code"`
	LSP               string `db:"lsp"`
	Result            string `db:"result"`
	AssessedOn        string `db:"assessed_on"`
	CertificateNo     string `db:"certificate_no"` // BNSP competency certificate
	CertificateDate   string `db:"certificate_date"`
	CertificateExpiry string `db:"certificate_expiry"`
}

// Outcome statuses of the graduate tracer.
const (
	OutcomeEmployed     = "employed"
	OutcomeSelfEmployed = "self_employed"
	OutcomeStudying     = "studying"
	OutcomeNotWorking   = "not_working"
)

// Outcome is one tracer survey answer for a graduate (append-only).
type Outcome struct {
	Meta
	TraineeID  string `db:"trainee_id"`
	SurveyedOn string `db:"surveyed_on"`
	Status     string `db:"status"`
	Employer   string `db:"employer"` // employer or business name
	Sector     string `db:"sector"`
	IncomeBand string `db:"income_band"`
	Source     string `db:"source"` // phone, whatsapp, visit, form
}

// Instructor teaches cohorts.
type Instructor struct {
	Meta
	Name          string `db:"name"`
	NIK           string `db:"nik"`
	Phone         string `db:"phone"`
	Email         string `db:"email"`
	FieldCode     string `db:"field_code"`
	Certification string `db:"certification"`
}

// Partner types.
const (
	PartnerIndustry   = "industry"
	PartnerUMKM       = "umkm"
	PartnerFunder     = "funder"
	PartnerGovernment = "government"
	PartnerEducation  = "education"
	PartnerOther      = "other"
)

// Partner is an industry, UMKM or funder the centre works with [Mitra].
type Partner struct {
	Meta
	Name      string `db:"name"`
	Type      string `db:"type"`
	MoUNumber string `db:"mou_number"`
	MoUStart  string `db:"mou_start"`
	MoUEnd    string `db:"mou_end"`
	Scope     string `db:"scope"`
	Contact   string `db:"contact"`
	Phone     string `db:"phone"`
}

// Funding is money or aid received [Bantuan/pendanaan].
type Funding struct {
	Meta
	Source     string `db:"source"`
	Amount     int64  `db:"amount"` // rupiah
	Year       int64  `db:"year"`
	CohortID   string `db:"cohort_id"`
	ReceivedOn string `db:"received_on"`
	Note       string `db:"note"`
}
