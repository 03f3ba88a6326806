package domain_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

var assessDay = time.Date(2026, 11, 30, 15, 4, 0, 0, time.UTC)

func instructor(id string) *domain.Instructor {
	i := &domain.Instructor{Name: "Instruktur " + id}
	i.ID = id
	return i
}

func cert(instr, kind, issued, expires string) *domain.InstructorCertification {
	return &domain.InstructorCertification{InstructorID: instr, Kind: kind, Number: "C-" + instr + kind, IssuedOn: issued, ExpiresOn: expires}
}

func doc(kind, grade, expires string) *domain.LegalDocument {
	return &domain.LegalDocument{Kind: kind, Number: "D-" + kind, Grade: grade, IssuedOn: "2020-01-01", ExpiresOn: expires}
}

func income(date, category string, amount int64) *domain.LedgerLine {
	return &domain.LedgerLine{Date: date, Direction: domain.LedgerIncome, Category: category, Amount: amount}
}

func grant(received string, amount int64, kind string) *domain.Funding {
	return &domain.Funding{Source: "APBN", Amount: amount, ReceivedOn: received, SourceKind: kind}
}

func partner(name, category, start, end string) *domain.Partner {
	return &domain.Partner{Name: name, Type: domain.PartnerOther, Category: category, MoUNumber: "MoU-" + name, MoUStart: start, MoUEnd: end}
}

func graduate(trainee, completed string) domain.Graduation {
	return domain.Graduation{TraineeID: trainee, CompletedOn: completed}
}

func surveyed(trainee, on string) domain.TracerAnswer {
	return domain.TracerAnswer{TraineeID: trainee, SurveyedOn: on, Status: domain.OutcomeEmployed}
}

// fullCentre meets every criterion on assessDay with the default thresholds.
func fullCentre() domain.KemandirianInput {
	return domain.KemandirianInput{
		Instructors: []*domain.Instructor{instructor("a"), instructor("b")},
		Certifications: []*domain.InstructorCertification{
			cert("a", "methodology", "2024-01-01", ""), cert("a", "bnsp", "2024-01-01", "2027-01-01"),
			cert("b", "methodology", "2024-01-01", ""), cert("b", "technical", "", ""),
		},
		Documents: []*domain.LegalDocument{doc("operating_permit", "", "2028-01-01"), doc("lalpk", "B", "2027-06-30")},
		Ledger:    []*domain.LedgerLine{income("2026-05-01", "paid_training", 20_000_000)},
		Funding:   []*domain.Funding{grant("2026-02-01", 80_000_000, "government_grant")},
		Partners: []*domain.Partner{partner("Disnaker", "local_government", "2025-01-01", "2027-12-31"),
			partner("PT Maju", "industry", "2025-01-01", "")},
		Graduations: []domain.Graduation{graduate("t1", "2025-12-01"), graduate("t2", "2025-12-01"), graduate("t3", "2025-12-01"),
			graduate("t4", "2025-12-01"), graduate("t5", "2025-12-01")},
		TracerAnswers: []domain.TracerAnswer{surveyed("t1", "2026-03-01"), surveyed("t2", "2026-03-01"), surveyed("t3", "2026-06-01")},
	}
}

func TestAnEmptyCentreIsTumbuhAndSaysWhatToDoFirst(t *testing.T) {
	a := domain.AssessKemandirian(domain.KemandirianInput{}, assessDay)
	if a.Level != domain.LevelTumbuh || a.Met != 0 {
		t.Fatalf("level %s, met %d", a.Level, a.Met)
	}
	for _, c := range a.Criteria {
		if c.Met || len(c.Missing) == 0 {
			t.Errorf("%s: met %v, missing %v", c.Code, c.Met, c.Missing)
		}
	}
	if len(a.Next) != 5 || a.Next[0].Key != "kemandirian.legal.permit_missing" {
		t.Fatalf("next steps: %+v", a.Next)
	}
	if got := a.Next[0].Text(domain.Indonesian); !strings.Contains(got, "izin operasional") {
		t.Fatalf("first step reads %q", got)
	}
}

func TestACentreMeetingEveryCriterionIsMandiri(t *testing.T) {
	a := domain.AssessKemandirian(fullCentre(), assessDay)
	if a.Level != domain.LevelMandiri || a.Met != 5 || len(a.Next) != 0 {
		for _, c := range a.Criteria {
			t.Logf("%s met=%v %d/%d %v", c.Code, c.Met, c.Value, c.Target, c.Missing)
		}
		t.Fatalf("level %s, met %d", a.Level, a.Met)
	}
}

// TestCriterionEdges moves one fact of a full centre across the edge of
// one criterion and checks that criterion alone, its value and its level.
func TestCriterionEdges(t *testing.T) {
	cases := []struct {
		name      string
		criterion string
		change    func(in *domain.KemandirianInput)
		met       bool
		value     int64
		missing   string // key of the first missing note, when not met
	}{
		{"sdm: two competent instructors", domain.CriterionSDM, func(in *domain.KemandirianInput) {}, true, 2, ""},
		{"sdm: a certificate expiring today still counts", domain.CriterionSDM, func(in *domain.KemandirianInput) {
			in.Certifications[1].ExpiresOn = "2026-11-30"
		}, true, 2, ""},
		{"sdm: expired yesterday does not", domain.CriterionSDM, func(in *domain.KemandirianInput) {
			in.Certifications[1].ExpiresOn = "2026-11-29"
		}, false, 1, "kemandirian.sdm.add"},
		{"sdm: issued tomorrow does not count yet", domain.CriterionSDM, func(in *domain.KemandirianInput) {
			in.Certifications[0].IssuedOn = "2026-12-01"
		}, false, 1, "kemandirian.sdm.add"},
		{"sdm: methodology alone is half", domain.CriterionSDM, func(in *domain.KemandirianInput) {
			in.Certifications = in.Certifications[:3]
		}, false, 1, "kemandirian.sdm.add"},
		{"sdm: a deleted instructor's certificates do not count", domain.CriterionSDM, func(in *domain.KemandirianInput) {
			in.Instructors = in.Instructors[:1]
		}, false, 1, "kemandirian.sdm.add"},
		{"sdm: no instructors", domain.CriterionSDM, func(in *domain.KemandirianInput) {
			in.Instructors = nil
		}, false, 0, "kemandirian.sdm.no_instructors"},

		{"legal: permit and accreditation", domain.CriterionLegal, func(in *domain.KemandirianInput) {}, true, 2, ""},
		{"legal: VIN stands for the permit", domain.CriterionLegal, func(in *domain.KemandirianInput) {
			in.Documents[0].Kind = domain.DocVIN
		}, true, 2, ""},
		{"legal: a permit expired yesterday", domain.CriterionLegal, func(in *domain.KemandirianInput) {
			in.Documents[0].ExpiresOn = "2026-11-29"
		}, false, 1, "kemandirian.legal.permit_expired"},
		{"legal: the foundation deed is no permit", domain.CriterionLegal, func(in *domain.KemandirianInput) {
			in.Documents[0].Kind = domain.DocFoundationDeed
		}, false, 1, "kemandirian.legal.permit_missing"},
		{"legal: no accreditation", domain.CriterionLegal, func(in *domain.KemandirianInput) {
			in.Documents = in.Documents[:1]
		}, false, 1, "kemandirian.legal.accreditation_missing"},
		{"legal: accreditation not required by the ministry", domain.CriterionLegal, func(in *domain.KemandirianInput) {
			in.Documents = in.Documents[:1]
			th := domain.DefaultThresholds()
			th.LegalAccreditation = false
			in.Thresholds = &th
		}, true, 1, ""},

		{"dana: exactly 20 %", domain.CriterionDana, func(in *domain.KemandirianInput) {}, true, 20, ""},
		{"dana: one rupiah short of 20 %", domain.CriterionDana, func(in *domain.KemandirianInput) {
			in.Ledger[0].Amount = 19_999_999
		}, false, 19, "kemandirian.dana.short"},
		{"dana: donations are not own income", domain.CriterionDana, func(in *domain.KemandirianInput) {
			in.Ledger[0].Category = "donation_csr"
		}, false, 0, "kemandirian.dana.short"},
		{"dana: funding of kind own income counts", domain.CriterionDana, func(in *domain.KemandirianInput) {
			in.Ledger = nil
			in.Funding = append(in.Funding, grant("2026-06-01", 20_000_000, "own_income"))
		}, true, 20, ""},
		{"dana: income older than 12 months is out", domain.CriterionDana, func(in *domain.KemandirianInput) {
			in.Ledger[0].Date = "2025-11-30"
		}, false, 0, "kemandirian.dana.short"},
		{"dana: income of the first day of the 12 months is in", domain.CriterionDana, func(in *domain.KemandirianInput) {
			in.Ledger[0].Date = "2025-12-01"
		}, true, 20, ""},
		{"dana: expenses change nothing", domain.CriterionDana, func(in *domain.KemandirianInput) {
			in.Ledger = append(in.Ledger, &domain.LedgerLine{Date: "2026-05-02", Direction: domain.LedgerExpense, Category: "materials", Amount: 50_000_000})
		}, true, 20, ""},
		{"dana: nothing recorded", domain.CriterionDana, func(in *domain.KemandirianInput) {
			in.Ledger, in.Funding = nil, nil
		}, false, 0, "kemandirian.dana.nothing"},

		{"alumni: 3 of 5 traced is 60 %", domain.CriterionAlumni, func(in *domain.KemandirianInput) {}, true, 60, ""},
		{"alumni: traced one day after the 6 months does not count", domain.CriterionAlumni, func(in *domain.KemandirianInput) {
			in.TracerAnswers[2].SurveyedOn = "2026-06-02"
		}, false, 40, "kemandirian.alumni.short"},
		{"alumni: a survey before graduation does not count", domain.CriterionAlumni, func(in *domain.KemandirianInput) {
			in.TracerAnswers[2].SurveyedOn = "2025-11-30"
		}, false, 40, "kemandirian.alumni.short"},
		{"alumni: graduates still inside their window are not counted", domain.CriterionAlumni, func(in *domain.KemandirianInput) {
			in.Graduations = append(in.Graduations, graduate("t9", "2026-06-01"))
		}, true, 60, ""},
		{"alumni: a graduate whose window closed today is counted", domain.CriterionAlumni, func(in *domain.KemandirianInput) {
			in.Graduations = append(in.Graduations, graduate("t9", "2026-05-30"))
		}, false, 50, "kemandirian.alumni.short"},
		{"alumni: no graduates", domain.CriterionAlumni, func(in *domain.KemandirianInput) {
			in.Graduations = nil
		}, false, 0, "kemandirian.alumni.none"},

		{"mitra: local government and industry", domain.CriterionMitra, func(in *domain.KemandirianInput) {}, true, 2, ""},
		{"mitra: an MoU ended yesterday", domain.CriterionMitra, func(in *domain.KemandirianInput) {
			in.Partners[0].MoUEnd = "2026-11-29"
		}, false, 1, "kemandirian.mitra.add"},
		{"mitra: without an MoU number there is no MoU", domain.CriterionMitra, func(in *domain.KemandirianInput) {
			in.Partners[0].MoUNumber = ""
		}, false, 1, "kemandirian.mitra.add"},
		{"mitra: two industry partners are one category", domain.CriterionMitra, func(in *domain.KemandirianInput) {
			in.Partners[0].Category = "industry"
		}, false, 1, "kemandirian.mitra.add"},
		{"mitra: UMKM is not a road-map category", domain.CriterionMitra, func(in *domain.KemandirianInput) {
			in.Partners[0].Category = "umkm"
		}, false, 1, "kemandirian.mitra.add"},
		{"mitra: an older industry partner without a category counts", domain.CriterionMitra, func(in *domain.KemandirianInput) {
			in.Partners[1].Category, in.Partners[1].Type = "", domain.PartnerIndustry
		}, true, 2, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := fullCentre()
			tc.change(&in)
			a := domain.AssessKemandirian(in, assessDay)
			c := a.Criterion(tc.criterion)
			if c.Met != tc.met || c.Value != tc.value {
				t.Fatalf("met %v value %d, want %v %d (missing %v)", c.Met, c.Value, tc.met, tc.value, c.Missing)
			}
			if tc.met && len(c.Missing) != 0 {
				t.Fatalf("met, yet missing %v", c.Missing)
			}
			if !tc.met && (len(c.Missing) == 0 || c.Missing[0].Key != tc.missing) {
				t.Fatalf("missing %v, want %s first", c.Missing, tc.missing)
			}
			for _, o := range a.Criteria {
				if o.Code != tc.criterion && !o.Met {
					t.Fatalf("changing %s moved %s", tc.criterion, o.Code)
				}
			}
			want := domain.LevelMandiri
			if !tc.met {
				want = domain.LevelBerkembang
			}
			if a.Level != want || a.ShortOf() == tc.met {
				t.Fatalf("level %s short %v, want %s", a.Level, a.ShortOf(), want)
			}
		})
	}
}

func TestTheLevelFollowsTheNationalThresholds(t *testing.T) {
	in := fullCentre()
	in.Documents, in.Partners = nil, nil // three criteria met
	if a := domain.AssessKemandirian(in, assessDay); a.Level != domain.LevelBerkembang || a.Met != 3 {
		t.Fatalf("default: %s %d", a.Level, a.Met)
	}
	th := domain.DefaultThresholds()
	th.BerkembangMin = 4
	th.OwnIncomePct = 25
	in.Thresholds = &th
	a := domain.AssessKemandirian(in, assessDay)
	if a.Level != domain.LevelTumbuh || a.Met != 2 || a.Criterion(domain.CriterionDana).Target != 25 {
		t.Fatalf("stricter: %s %d", a.Level, a.Met)
	}
}

func TestMissingTextsSayWhatToDoInPlainWords(t *testing.T) {
	in := fullCentre()
	in.Ledger[0].Amount = 5_000_000 // 5 of 85 million: 5 %
	in.Partners = in.Partners[1:]
	a := domain.AssessKemandirian(in, assessDay)
	dana := a.Criterion(domain.CriterionDana).Missing[0].Text(domain.Indonesian)
	if !strings.Contains(dana, "Pendapatan sendiri 5 % dari target 20 %") || !strings.Contains(dana, "Rp15.000.000") {
		t.Fatalf("dana: %q", dana)
	}
	mitra := a.Criterion(domain.CriterionMitra).Missing
	if len(mitra) != 2 || mitra[1].Text(domain.Indonesian) != "Tambah 1 mitra Pemerintah daerah dengan MoU aktif" {
		t.Fatalf("mitra: %+v", mitra)
	}
	if got := mitra[1].Text(domain.English); got != "Add 1 Local government partner with an active MoU" {
		t.Fatalf("mitra en: %q", got)
	}
}

func TestFiguresOfYear(t *testing.T) {
	in := fullCentre()
	in.Targets = []*domain.RoadmapTarget{{Year: "2025", Graduates: 10, PlacementPct: 50, OwnIncomePct: 10}}
	y := domain.FiguresOfYear(in, 2025)
	if y.Graduates != 5 || y.Placed != 3 || y.PlacementPct() != 60 || y.Target == nil || y.Target.Graduates != 10 {
		t.Fatalf("2025: %+v", y)
	}
	if y := domain.FiguresOfYear(in, 2026); y.Income.Own != 20_000_000 || y.Income.Grants != 80_000_000 || y.Graduates != 0 || y.Target != nil {
		t.Fatalf("2026: %+v", y)
	}
}

func TestLedgerAndDocumentRules(t *testing.T) {
	rules := domain.Rules{Now: assessDay}
	bad := &domain.LedgerLine{Date: "2026-01-01", Direction: domain.LedgerExpense, Category: "paid_training", Amount: 1}
	if ps := domain.Validate(bad, rules); !ps.Invalid() || ps.For("ledger_category")[0].Code != "problem.ledger.expense_category" {
		t.Fatalf("expense with an income category: %+v", ps)
	}
	if ps := domain.Validate(&domain.LedgerLine{Date: "2026-01-01", Direction: domain.LedgerIncome, Category: "other"}, rules); !ps.Invalid() || len(ps.For("amount")) != 1 {
		t.Fatalf("zero amount: %+v", ps)
	}
	if ps := domain.Validate(&domain.LegalDocument{Kind: domain.DocVIN, Number: "1", Grade: "A"}, rules); !ps.Invalid() {
		t.Fatalf("graded VIN: %+v", ps)
	}
	if ps := domain.Validate(&domain.RoadmapTarget{Year: "27", PlacementPct: 101}, rules); len(ps) != 2 {
		t.Fatalf("target: %+v", ps)
	}
}

// The assessment reads a completed enrollment's trainee and day and a
// tracer answer's trainee, day and status, nothing else: at 100k trainees
// holding the whole records was most of the desktop app's peak memory.
func TestLoadKemandirianKeepsGraduationsAndAnswersOnly(t *testing.T) {
	done := &domain.Enrollment{TraineeID: "t1", Status: domain.EnrollmentCompleted, CompletedOn: "2025-12-01", CertificateNo: "S-1"}
	running := &domain.Enrollment{TraineeID: "t2", Status: domain.EnrollmentActive}
	gone := &domain.Enrollment{TraineeID: "t3", Status: domain.EnrollmentCompleted, CompletedOn: "2025-12-01"}
	gone.Deleted = true
	answer := &domain.Outcome{TraineeID: "t1", SurveyedOn: "2026-03-01", Status: "employed", Employer: "PT Maju"}
	answer.ID = "o1"
	records := map[string][]domain.Record{"enrollments": {done, running, gone}, "outcomes": {answer}}
	in, err := domain.LoadKemandirian(func(table string, fn func(domain.Record) error) error {
		for _, r := range records[table] {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []domain.Graduation{{TraineeID: "t1", CompletedOn: "2025-12-01"}}; len(in.Graduations) != 1 || in.Graduations[0] != want[0] {
		t.Errorf("graduations %+v, want %+v", in.Graduations, want)
	}
	want := domain.TracerAnswer{ID: "o1", TraineeID: "t1", SurveyedOn: "2026-03-01", Status: domain.OutcomeEmployed}
	if len(in.TracerAnswers) != 1 || in.TracerAnswers[0] != want {
		t.Errorf("tracer answers %+v, want %+v", in.TracerAnswers, want)
	}
}
