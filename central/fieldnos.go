package central

import "strings"

// fieldNumbers numbers every field of every table for the stored versions
// (versions.go): a version group names its fields by a bit mask of these
// numbers instead of their names. A field's number is its place in its
// table's list, so the lists only ever grow at their end: a field added to
// the domain is appended here (TestEveryFieldHasANumber says which), and a
// field removed from the domain keeps its place. A field without a number
// is stored by name, as before, so forgetting one costs bytes, not data.
var fieldNumbers = map[string][]string{
	"centres":                   strings.Fields("id centre_id deleted name host_type foundation address village_code classification head phone fields permit_no min_attendance"),
	"vocational_fields":         strings.Fields("id centre_id deleted code name_id name_en"),
	"competency_units":          strings.Fields("id centre_id deleted field_code code title jp"),
	"instructors":               strings.Fields("id centre_id deleted name nik phone email field_code certification"),
	"programmes":                strings.Fields("id centre_id deleted name field_code total_jp minutes_per_jp description"),
	"programme_units":           strings.Fields("id centre_id deleted programme_id unit_code title jp position"),
	"cohorts":                   strings.Fields("id centre_id deleted programme_id year number start_date end_date quota instructor_ids funding_source status"),
	"trainees":                  strings.Fields("id centre_id deleted nik kk name sex birth_place birth_date education grp disability address village_code postal_code phone email"),
	"enrollments":               strings.Fields("id centre_id deleted cohort_id trainee_id enrolled_on status completed_on certificate_no certificate_date"),
	"attendance":                strings.Fields("id centre_id deleted enrollment_id date mark"),
	"assessments":               strings.Fields("id centre_id deleted enrollment_id unit_code lsp result assessed_on certificate_no certificate_date certificate_expiry"),
	"outcomes":                  strings.Fields("id centre_id deleted trainee_id surveyed_on status employer sector kbli job_match income_band months_to_job source"),
	"partners":                  strings.Fields("id centre_id deleted name type mou_number mou_start mou_end scope contact phone category"),
	"funding":                   strings.Fields("id centre_id deleted source amount year cohort_id received_on note source_kind"),
	"instructor_certifications": strings.Fields("id centre_id deleted instructor_id cert_kind cert_number issuer issued_on expires_on"),
	"legal_documents":           strings.Fields("id centre_id deleted doc_kind doc_number grade issuer issued_on expires_on note"),
	"ledger_lines":              strings.Fields("id centre_id deleted date direction amount ledger_category unit note"),
	"roadmap_targets":           strings.Fields("id centre_id deleted target_year target_graduates target_placement_pct target_own_income_pct"),
	"kemandirian_thresholds":    strings.Fields("id centre_id deleted code berkembang_min sdm_instructors legal_accreditation own_income_pct income_months traced_pct traced_months partner_categories"),
	"certificates":              strings.Fields("id centre_id deleted enrollment_id certificate_no check_code issued_on revoked_on revoke_reason"),
	"employer_ratings":          strings.Fields("id centre_id deleted outcome_id rated_on rater rating_competence rating_discipline rating_teamwork comment"),
	"competency_certificates":   strings.Fields("id centre_id deleted trainee_id certificate_no scheme lsp issued_on expires_on"),
}

// fieldNo maps a table's field names to their numbers.
var fieldNo = func() map[string]map[string]int {
	out := map[string]map[string]int{}
	for tbl, names := range fieldNumbers {
		m := map[string]int{}
		for i, n := range names {
			m[n] = i
		}
		out[tbl] = m
	}
	return out
}()
