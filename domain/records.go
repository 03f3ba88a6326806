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
	Name           string `db:"name" max:"200" rule:"required"`
	HostType       string `db:"host_type" max:"30" choice:"pesantren,seminari,pasraman,vihara,gereja,ormas_keagamaan,serikat_pekerja,lainnya"`
	Foundation     string `db:"foundation" max:"200"`
	Address        string `db:"address" max:"300"`
	VillageCode    string `db:"village_code" max:"20"`
	Classification string `db:"classification" max:"20" choice:"tumbuh,berkembang,mandiri"`
	Head           string `db:"head" max:"100"`
	Phone          string `db:"phone" max:"30"`
	Fields         string `db:"fields" max:"500"`              // comma-separated vocational field codes
	PermitNo       string `db:"permit_no" max:"100" since:"2"` // izin operasional / registration number
	// MinAttendance is the attendance, in whole percent, below which
	// graduating a trainee asks for confirmation; 0 means
	// DefaultMinAttendance.
	MinAttendance int64 `db:"min_attendance" since:"2"`
}

// DefaultMinAttendance is the attendance minimum of a centre that has not
// set its own, in percent.
const DefaultMinAttendance = 80

// AttendanceMinimum is the centre's minimum attendance in percent.
func (c *Centre) AttendanceMinimum() int {
	if c == nil || c.MinAttendance <= 0 {
		return DefaultMinAttendance
	}
	return int(c.MinAttendance)
}

// VocationalField is national reference data [Kejuruan]; CentreID is empty.
type VocationalField struct {
	Meta
	Code   string `db:"code" max:"20" rule:"required"`
	NameID string `db:"name_id" max:"100" rule:"required"`
	NameEN string `db:"name_en" max:"100"`
}

// CompetencyUnit is national reference data [Unit kompetensi]; CentreID is empty.
type CompetencyUnit struct {
	Meta
	FieldCode string `db:"field_code" max:"20"`
	Code      string `db:"code" max:"50" rule:"required"` // SKKNI unit code
	Title     string `db:"title" max:"300" rule:"required"`
	JP        int64  `db:"jp" rule:"positive"`
}

// Programme is a training programme [Program pelatihan].
type Programme struct {
	Meta
	Name         string `db:"name" max:"200" rule:"required"`
	FieldCode    string `db:"field_code" max:"20" rule:"required"`
	TotalJP      int64  `db:"total_jp" rule:"positive"`
	MinutesPerJP int64  `db:"minutes_per_jp" rule:"positive"`
	Description  string `db:"description" max:"2000"`
}

// ProgrammeUnit is one competency unit taught in a programme; its id is
// derived from (programme, unit code) so two PCs adding the same unit merge.
type ProgrammeUnit struct {
	Meta
	ProgrammeID string `db:"programme_id" rule:"required" ref:"programmes,cascade"`
	UnitCode    string `db:"unit_code" max:"50" rule:"required"`
	Title       string `db:"title" max:"300"`
	JP          int64  `db:"jp" rule:"positive"`
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
	ProgrammeID   string `db:"programme_id" rule:"required" ref:"programmes,cascade"`
	Year          int64  `db:"year"`
	Number        int64  `db:"number" rule:"positive"`
	StartDate     string `db:"start_date" rule:"required,date"` // YYYY-MM-DD
	EndDate       string `db:"end_date" rule:"required,date"`
	Quota         int64  `db:"quota"`
	InstructorIDs string `db:"instructor_ids" max:"2000"` // comma-separated instructor ids
	FundingSource string `db:"funding_source" max:"200"`
	Status        string `db:"status" max:"20" rule:"required" choice:"planned,running,completed,cancelled"`
}

// Trainee is a person in training [Peserta].
type Trainee struct {
	Meta
	NIK         string `db:"nik" max:"32"`
	KK          string `db:"kk" max:"32"`
	Name        string `db:"name" max:"100" rule:"required"`
	Sex         string `db:"sex" max:"20" rule:"required" choice:"L,P"`
	BirthPlace  string `db:"birth_place" max:"100"`
	BirthDate   string `db:"birth_date" rule:"required,date"` // YYYY-MM-DD
	Education   string `db:"education" max:"100" rule:"open" choice:"sd,smp,sma,d3,s1,none"`
	Group       string `db:"grp" max:"100" rule:"open" choice:"santri,resident,worker"`
	Disability  string `db:"disability" max:"200"`
	Address     string `db:"address" max:"300"`
	VillageCode string `db:"village_code" max:"20"`
	PostalCode  string `db:"postal_code" max:"10"`
	Phone       string `db:"phone" max:"30"` // +62…
	Email       string `db:"email" max:"254"`
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
	CohortID        string `db:"cohort_id" rule:"required" ref:"cohorts,cascade"`
	TraineeID       string `db:"trainee_id" rule:"required" ref:"trainees,cascade"`
	EnrolledOn      string `db:"enrolled_on" rule:"date"`
	Status          string `db:"status" max:"20" rule:"required" choice:"active,completed,dropped"`
	CompletedOn     string `db:"completed_on" rule:"date"`
	CertificateNo   string `db:"certificate_no" max:"100"` // training certificate issued by the centre
	CertificateDate string `db:"certificate_date" rule:"date"`
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
	EnrollmentID string `db:"enrollment_id" rule:"required" ref:"enrollments,cascade"`
	Date         string `db:"date" rule:"required,date"`
	Mark         string `db:"mark" max:"20" rule:"required" choice:"H,S,I,A"`
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
	EnrollmentID      string `db:"enrollment_id" rule:"required" ref:"enrollments,cascade"`
	UnitCode          string `db:"unit_code" max:"50" rule:"required"`
	LSP               string `db:"lsp" max:"200"`
	Result            string `db:"result" max:"20" rule:"required" choice:"K,BK"`
	AssessedOn        string `db:"assessed_on" rule:"required,date"`
	CertificateNo     string `db:"certificate_no" max:"100"` // BNSP competency certificate
	CertificateDate   string `db:"certificate_date" rule:"date"`
	CertificateExpiry string `db:"certificate_expiry" rule:"date"`
}

// Outcome statuses of the graduate tracer.
const (
	OutcomeEmployed     = "employed"
	OutcomeSelfEmployed = "self_employed"
	OutcomeStudying     = "studying"
	OutcomeLooking      = "looking"     // not working, looking for work
	OutcomeNotLooking   = "not_looking" // not working, not looking
	OutcomeUnreachable  = "unreachable" // could not be reached, or refused
	// OutcomeNotWorking is the answer of earlier versions, before looking
	// and not looking were told apart; kept so old answers stay valid.
	OutcomeNotWorking = "not_working"
)

// Outcome is one tracer survey answer for a graduate (append-only).
type Outcome struct {
	Meta
	TraineeID  string `db:"trainee_id" rule:"required" ref:"trainees,cascade"`
	SurveyedOn string `db:"surveyed_on" rule:"required,date"`
	Status     string `db:"status" max:"20" rule:"required" choice:"employed,self_employed,studying,looking,not_looking,unreachable,not_working"`
	Employer   string `db:"employer" max:"200"` // employer or business name
	Sector     string `db:"sector" max:"100"`
	// KBLI is the sector's KBLI 2020 section (A–U).
	KBLI       string `db:"kbli" max:"1" choice:"A,B,C,D,E,F,G,H,I,J,K,L,M,N,O,P,Q,R,S,T,U" since:"2"`
	JobMatch   string `db:"job_match" max:"10" choice:"yes,partly,no" since:"2"` // the job matches the vocational field
	IncomeBand string `db:"income_band" max:"10" choice:"lt1,1to3,3to5,gt5"`
	// MonthsToJob is how many months after graduating the first job or
	// business started (0: not said, or none yet).
	MonthsToJob int64  `db:"months_to_job" since:"2"`
	Source      string `db:"source" max:"20" choice:"phone,whatsapp,visit,form,self"`
}

// EmployerRating is an employer's satisfaction with a graduate they
// employ [survei kepuasan pengguna lulusan], asked during the tracer and
// attached to the tracer answer that names the employer: competence,
// attitude and discipline, and teamwork, each from 1 (very poor) to 5 (very
// good), and a comment. Append-only, like the answers themselves.
type EmployerRating struct {
	Meta
	OutcomeID  string `db:"outcome_id" rule:"required" ref:"outcomes,cascade"`
	RatedOn    string `db:"rated_on" rule:"required,date"`
	Rater      string `db:"rater" max:"100"` // who answered for the employer (name, position)
	Competence int64  `db:"rating_competence"`
	Discipline int64  `db:"rating_discipline"`
	Teamwork   int64  `db:"rating_teamwork"`
	Comment    string `db:"comment" max:"1000"`
}

// EmployerRatingFields are the rating fields of an EmployerRating, in the
// order the form asks them.
var EmployerRatingFields = []string{"rating_competence", "rating_discipline", "rating_teamwork"}

// Certificate is a training certificate the centre issued to a graduate
// [Sertifikat pelatihan]: its nationally unique readable number (see
// CertificateNumber), the unguessable code its QR code carries to the
// public check page, and its revocation. A number once issued never changes
// and is never reused; its id is made from the number.
type Certificate struct {
	Meta
	EnrollmentID string `db:"enrollment_id" rule:"required" ref:"enrollments,cascade"`
	Number       string `db:"certificate_no" max:"60" rule:"required"`
	Code         string `db:"check_code" max:"32" rule:"required"`
	IssuedOn     string `db:"issued_on" rule:"required,date"`
	RevokedOn    string `db:"revoked_on" rule:"date"` // empty: valid
	RevokeReason string `db:"revoke_reason" max:"300"`
}

// CompetencyCertificate is the competency certificate an LSP (Lembaga
// Sertifikasi Profesi, licensed by BNSP) issued to a trainee after a
// competency test [Sertifikat kompetensi BNSP], recorded beside the
// centre's own training certificate: by hand, or from the LSP's list
// imported back. Its id is made from the trainee and the number, so the
// same list imported twice, or on two PCs, writes the same record.
type CompetencyCertificate struct {
	Meta
	TraineeID string `db:"trainee_id" rule:"required" ref:"trainees,cascade"`
	Number    string `db:"certificate_no" max:"100" rule:"required"`
	Scheme    string `db:"scheme" max:"200" rule:"required"` // skema sertifikasi
	LSP       string `db:"lsp" max:"200"`
	IssuedOn  string `db:"issued_on" rule:"required,date"`
	ExpiresOn string `db:"expires_on" rule:"date"` // empty: no expiry stated
}

// Instructor teaches cohorts.
type Instructor struct {
	Meta
	Name          string `db:"name" max:"100" rule:"required"`
	NIK           string `db:"nik" max:"32"`
	Phone         string `db:"phone" max:"30"`
	Email         string `db:"email" max:"254"`
	FieldCode     string `db:"field_code" max:"20"`
	Certification string `db:"certification" max:"200"`
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
	Name      string `db:"name" max:"200" rule:"required"`
	Type      string `db:"type" max:"20" rule:"required" choice:"industry,umkm,funder,government,education,other"`
	MoUNumber string `db:"mou_number" max:"100"`
	MoUStart  string `db:"mou_start" rule:"date"`
	MoUEnd    string `db:"mou_end" rule:"date"`
	Scope     string `db:"scope" max:"2000"`
	Contact   string `db:"contact" max:"100"`
	Phone     string `db:"phone" max:"30"`
	// Category is who the partner is for the road map's partnership
	// criterion (central or local government, industry, …); Type is older
	// and coarser and stays for the lists that use it.
	Category string `db:"category" max:"30" choice:"central_government,local_government,industry,umkm,financial,csr_donor" since:"2"`
}

// Funding is money or aid received [Bantuan/pendanaan].
type Funding struct {
	Meta
	Source     string `db:"source" max:"200" rule:"required"`
	Amount     int64  `db:"amount"` // rupiah
	Year       int64  `db:"year"`
	CohortID   string `db:"cohort_id" ref:"cohorts"`
	ReceivedOn string `db:"received_on" rule:"date"`
	Note       string `db:"note" max:"2000"`
	// SourceKind tells a grant from the centre's own income, which the
	// road map's funding criterion counts.
	SourceKind string `db:"source_kind" max:"20" choice:"government_grant,own_income,partner" since:"2"`
}

// Instructor certification kinds.
const (
	CertMethodology = "methodology" // metodologi pelatihan / Dikdas
	CertTechnical   = "technical"
	CertBNSP        = "bnsp" // BNSP competency certificate
)

// InstructorCertification is one certificate an instructor holds: the
// training methodology course (Dikdas), a technical certificate or a BNSP
// competency certificate, with its expiry.
type InstructorCertification struct {
	Meta
	InstructorID string `db:"instructor_id" rule:"required" ref:"instructors,cascade"`
	Kind         string `db:"cert_kind" max:"20" rule:"required" choice:"methodology,technical,bnsp"`
	Number       string `db:"cert_number" max:"100" rule:"required"`
	Issuer       string `db:"issuer" max:"200"`
	IssuedOn     string `db:"issued_on" rule:"date"`
	ExpiresOn    string `db:"expires_on" rule:"date"` // empty: does not expire
}

// Legal document kinds of a centre.
const (
	DocOperatingPermit = "operating_permit" // izin operasional
	DocVIN             = "vin"              // Kemnaker's kelembagaan registration
	DocAccreditation   = "lalpk"            // LA-LPK accreditation
	DocFoundationDeed  = "foundation_deed"  // akta yayasan
)

// LegalDocument is one of the centre's own documents: its operating
// permit, its VIN, its LA-LPK accreditation (with grade) or its
// foundation's deed.
type LegalDocument struct {
	Meta
	Kind      string `db:"doc_kind" max:"20" rule:"required" choice:"operating_permit,vin,lalpk,foundation_deed"`
	Number    string `db:"doc_number" max:"100" rule:"required"`
	Grade     string `db:"grade" max:"5" choice:"A,B,C"` // accreditation only
	Issuer    string `db:"issuer" max:"200"`
	IssuedOn  string `db:"issued_on" rule:"date"`
	ExpiresOn string `db:"expires_on" rule:"date"` // empty: does not expire
	Note      string `db:"note" max:"2000"`
}

// Ledger directions.
const (
	LedgerIncome  = "income"
	LedgerExpense = "expense"
)

// IncomeCategories and ExpenseCategories split the ledger's categories by
// direction ("other" fits both). Own income is every income category but
// donation/CSR, which is a gift, not earned.
var (
	IncomeCategories  = []string{"paid_training", "product_sales", "services", "rental", "incubator", "donation_csr", "other"}
	ExpenseCategories = []string{"materials", "wages", "utilities", "equipment", "other"}
)

// LedgerLine is one income or expense of the centre's business unit or
// incubator [unit usaha/inkubator].
type LedgerLine struct {
	Meta
	Date      string `db:"date" rule:"required,date"`
	Direction string `db:"direction" max:"10" rule:"required" choice:"income,expense"`
	Amount    int64  `db:"amount" rule:"positive"` // rupiah
	Category  string `db:"ledger_category" max:"20" rule:"required" choice:"paid_training,product_sales,services,rental,incubator,donation_csr,materials,wages,utilities,equipment,other"`
	Unit      string `db:"unit" max:"100"` // which business unit, e.g. "Konveksi"
	Note      string `db:"note" max:"2000"`
}

// RoadmapTarget is what the centre means to reach in one year of its road
// map; its id derives from (centre, year), so two PCs setting one year's
// targets write one record.
type RoadmapTarget struct {
	Meta
	Year         string `db:"target_year" max:"4" rule:"required"`
	Graduates    int64  `db:"target_graduates"`
	PlacementPct int64  `db:"target_placement_pct"`
	OwnIncomePct int64  `db:"target_own_income_pct"`
}

// KemandirianThresholds is national reference data: the targets of the
// five criteria, set by the ministry (one record, code "national"). A PC
// that never pulled them uses DefaultThresholds.
type KemandirianThresholds struct {
	Meta
	Code               string `db:"code" max:"20" rule:"required"`
	BerkembangMin      int64  `db:"berkembang_min"`      // criteria met to be berkembang
	SDMInstructors     int64  `db:"sdm_instructors"`     // competent instructors
	LegalAccreditation bool   `db:"legal_accreditation"` // LA-LPK accreditation required
	OwnIncomePct       int64  `db:"own_income_pct"`      // own income share of funding
	IncomeMonths       int64  `db:"income_months"`       // window of the share
	TracedPct          int64  `db:"traced_pct"`          // graduates traced
	TracedMonths       int64  `db:"traced_months"`       // within this many months
	PartnerCategories  int64  `db:"partner_categories"`  // of central gov, local gov, industry
}
