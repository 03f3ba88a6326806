package domain_test

import (
	"strings"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/msg"
)

// TestEveryTextFieldHasAMaximum: DESIGN.md wants every text field bounded,
// declared once with the schema.
func TestEveryTextFieldHasAMaximum(t *testing.T) {
	for _, tb := range domain.Tables {
		for _, f := range tb.Fields {
			if f.Kind == domain.KindText && f.Max <= 0 {
				t.Errorf("%s.%s has no maximum length", tb.Name, f.Name)
			}
		}
	}
}

// TestEveryFieldAndChoiceHasALabel: a field or a code shown to a person
// has its words in both languages of the catalogue.
func TestEveryFieldAndChoiceHasALabel(t *testing.T) {
	for _, tb := range domain.Tables {
		for _, f := range tb.Fields {
			if !msg.Has("field." + f.Name) {
				t.Errorf("%s.%s: add field.%s to msg/id/field.json and msg/en/field.json", tb.Name, f.Name, f.Name)
			}
			for _, c := range f.Choices {
				if k := "choice." + tb.Name + "." + f.Name + "." + c; !msg.Has(k) {
					t.Errorf("%s.%s: add %s to msg/id/choice.json and msg/en/choice.json", tb.Name, f.Name, k)
				}
			}
		}
	}
	if got := domain.ChoiceLabel("trainees.sex", "P", domain.English); got != "Female" {
		t.Errorf("label of trainees.sex P in English = %q", got)
	}
	if got := domain.FieldLabel("birth_date", domain.Indonesian); got != "Tanggal lahir" {
		t.Errorf("label of birth_date = %q", got)
	}
}

// TestTheCodesTheCodeUsesAreDeclaredChoices keeps the constants the code
// compares with in step with the choices the schema declares.
func TestTheCodesTheCodeUsesAreDeclaredChoices(t *testing.T) {
	for key, codes := range map[string][]string{
		"cohorts.status":     {domain.CohortPlanned, domain.CohortRunning, domain.CohortCompleted, domain.CohortCancelled},
		"enrollments.status": {domain.EnrollmentActive, domain.EnrollmentCompleted, domain.EnrollmentDropped},
		"attendance.mark":    {domain.AttendancePresent, domain.AttendanceSick, domain.AttendanceExcused, domain.AttendanceAbsent},
		"assessments.result": {domain.Competent, domain.NotCompetent},
		"outcomes.status":    {domain.OutcomeEmployed, domain.OutcomeSelfEmployed, domain.OutcomeStudying, domain.OutcomeLooking, domain.OutcomeNotLooking, domain.OutcomeUnreachable, domain.OutcomeNotWorking},
		"partners.type":      {domain.PartnerIndustry, domain.PartnerUMKM, domain.PartnerFunder, domain.PartnerGovernment, domain.PartnerEducation, domain.PartnerOther},
	} {
		var declared []string
		for _, c := range domain.Choices[key] {
			declared = append(declared, c.Value)
		}
		if strings.Join(declared, ",") != strings.Join(codes, ",") {
			t.Errorf("%s declares %v, the code uses %v", key, declared, codes)
		}
	}
}

// TestNaturalIDsDoNotChange: ids derived from natural keys are in every
// database already; the declaration must derive exactly the ids the code
// derived before it.
func TestNaturalIDsDoNotChange(t *testing.T) {
	tests := []struct {
		rec  domain.Record
		want string
	}{
		{&domain.Enrollment{CohortID: "c", TraineeID: "t"}, domain.NaturalID("enrollment", "c", "t")},
		{&domain.Attendance{EnrollmentID: "e", Date: "2026-01-05"}, domain.NaturalID("attendance", "e", "2026-01-05")},
		{&domain.Assessment{EnrollmentID: "e", UnitCode: "U1"}, domain.NaturalID("assessment", "e", "U1")},
		{&domain.ProgrammeUnit{ProgrammeID: "p", UnitCode: "U1"}, domain.NaturalID("programme_unit", "p", "U1")},
		{&domain.VocationalField{Code: "LAS"}, domain.NaturalID("vocational_field", "LAS")},
		{&domain.CompetencyUnit{FieldCode: "LAS", Code: "U1"}, domain.NaturalID("competency_unit", "LAS", "U1")},
		{&domain.Trainee{Meta: domain.Meta{ID: "kept"}}, "kept"},
	}
	for _, tc := range tests {
		domain.AssignNaturalID(tc.rec)
		if got := tc.rec.Base().ID; got != tc.want {
			t.Errorf("%T: id %s, want %s", tc.rec, got, tc.want)
		}
	}
	// The namespace and the key's spelling are part of every stored id.
	if got := domain.NaturalID("enrollment", "c", "t"); got != "10b339a7-1a51-502d-bd72-f2e769708cf0" {
		t.Errorf("NaturalID(enrollment, c, t) = %s: ids already stored would no longer match", got)
	}
}

// TestCascadesFollowTheDeclaration: deleting a record deletes what the
// schema says hangs on it, in table order.
func TestCascadesFollowTheDeclaration(t *testing.T) {
	want := map[string]string{
		"trainees":    "enrollments.trainee_id outcomes.trainee_id competency_certificates.trainee_id",
		"cohorts":     "enrollments.cohort_id",
		"enrollments": "attendance.enrollment_id assessments.enrollment_id certificates.enrollment_id",
		"programmes":  "programme_units.programme_id cohorts.programme_id",
		"partners":    "",
	}
	for table, w := range want {
		var got []string
		for _, ch := range domain.LookupTable(table).Children() {
			got = append(got, ch.Table.Name+"."+ch.Field.Name)
		}
		if strings.Join(got, " ") != w {
			t.Errorf("%s cascades to %v, want %s", table, got, w)
		}
	}
	if f, _ := domain.LookupTable("funding").Field("cohort_id"); f.Ref != "cohorts" || f.Cascade {
		t.Errorf("funding.cohort_id: ref %q cascade %v", f.Ref, f.Cascade)
	}
}

// TestIncompleteDeclarationsAreRefused: a newcomer who forgets a fact is
// told which one, at start, not at the first 9 MiB value.
func TestIncompleteDeclarationsAreRefused(t *testing.T) {
	type noMax struct {
		domain.Meta
		Note string `db:"note"`
	}
	type badRule struct {
		domain.Meta
		Note string `db:"note" max:"10" rule:"mandatory"`
	}
	type badRef struct {
		domain.Meta
		Owner string `db:"owner_id" ref:"owners"`
	}
	type maxOnNumber struct {
		domain.Meta
		N int64 `db:"n" max:"3"`
	}
	type badKey struct {
		domain.Meta
		Note string `db:"note" max:"10"`
	}
	for _, tc := range []struct {
		spec domain.TableSpec
		want string
	}{
		{domain.TableSpec{Name: "t_nomax", Record: &noMax{}}, "maximum length"},
		{domain.TableSpec{Name: "t_badrule", Record: &badRule{}}, "unknown rule"},
		{domain.TableSpec{Name: "t_badref", Record: &badRef{}}, "not declared before it"},
		{domain.TableSpec{Name: "t_maxnum", Record: &maxOnNumber{}}, "for text fields"},
		{domain.TableSpec{Name: "t_badkey", Record: &badKey{}, KeyName: "k", NaturalKey: []string{"nope"}}, "natural key"},
		{domain.TableSpec{Name: "trainees", Record: &badKey{}}, "declared twice"},
	} {
		_, err := domain.Register(tc.spec)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want one saying %q", tc.spec.Name, err, tc.want)
		}
		if tc.spec.Name != "trainees" && domain.LookupTable(tc.spec.Name) != nil {
			t.Errorf("%s was registered despite the error", tc.spec.Name)
		}
	}
}

// TestATableDeclaredByATestIsUsedLikeAnyOther: a new table and field are
// one declaration; validation, natural ids and cascades pick them up (the
// store and the server do in their own tests).
func TestATableDeclaredByATestIsUsedLikeAnyOther(t *testing.T) {
	type gadget struct {
		domain.Meta
		TraineeID string `db:"trainee_id" rule:"required" ref:"trainees,cascade"`
		Colour    string `db:"colour" max:"10" rule:"required" choice:"red,blue"`
		Label     string `db:"label" max:"5"`
		Made      string `db:"made" rule:"date"`
		Weight    int64  `db:"weight" rule:"positive"`
	}
	tb, err := domain.Register(domain.TableSpec{Name: "gadgets", Record: &gadget{},
		KeyName: "gadget", NaturalKey: []string{"trainee_id", "colour"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { domain.Unregister("gadgets") })

	g := &gadget{TraineeID: "t1", Colour: "green", Label: "too long", Made: "5 May", Weight: 0}
	codes := map[string]string{}
	for _, p := range domain.Validate(g, domain.Rules{Now: now}) {
		codes[p.Field] = p.Code
	}
	want := map[string]string{"colour": "problem.choice.invalid", "label": "problem.too.long", "made": "problem.date.invalid", "weight": "problem.positive"}
	for f, c := range want {
		if codes[f] != c {
			t.Errorf("%s: %q, want %q (all: %v)", f, codes[f], c, codes)
		}
	}
	domain.AssignNaturalID(g)
	if g.ID != domain.NaturalID("gadget", "t1", "green") {
		t.Errorf("natural id %s", g.ID)
	}
	if cs := domain.LookupTable("trainees").Children(); cs[len(cs)-1].Table != tb {
		t.Errorf("trainees do not cascade to gadgets: %v", cs)
	}
	if len(domain.Choices["gadgets.colour"]) != 2 {
		t.Errorf("choices: %v", domain.Choices["gadgets.colour"])
	}
}
