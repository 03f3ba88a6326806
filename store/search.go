package store

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kemnaker/blk/domain"
)

// TraineeQuery filters the trainee list.
type TraineeQuery struct {
	Text     string // fragment of the name or of the NIK
	CohortID string // only trainees enrolled in this cohort
	Status   string // only trainees with an enrollment in this status
	Limit    int    // 0: 100
	Offset   int
}

// SearchTrainees finds trainees by name or NIK fragment, ordered by name.
// Fragments of three or more characters use the trigram index; shorter ones
// match the start of the name or NIK.
func (s *Store) SearchTrainees(ctx context.Context, q TraineeQuery) ([]*domain.Trainee, error) {
	t := domain.LookupTable("trainees")
	var cols []string
	for _, f := range t.Fields {
		cols = append(cols, "t."+f.Name)
	}
	var from strings.Builder
	var conds []string
	var args []any
	from.WriteString(" FROM trainees t")
	text := strings.TrimSpace(q.Text)
	if isDigits(domain.CleanDigits(text)) {
		text = domain.CleanDigits(text)
	}
	switch {
	case utf8.RuneCountInString(text) >= 3:
		from.WriteString(" JOIN trainee_search s ON s.rowid = t.rowid")
		conds = append(conds, "trainee_search MATCH ?")
		args = append(args, `"`+strings.ReplaceAll(text, `"`, `""`)+`"`)
	case text != "":
		conds = append(conds, "(t.name LIKE ? OR t.nik LIKE ?)")
		esc := strings.NewReplacer("%", "", "_", "").Replace(text)
		args = append(args, esc+"%", esc+"%")
	}
	if q.CohortID != "" || q.Status != "" {
		sub := "SELECT trainee_id FROM enrollments WHERE deleted = 0"
		if q.CohortID != "" {
			sub += " AND cohort_id = ?"
			args = append(args, q.CohortID)
		}
		if q.Status != "" {
			sub += " AND status = ?"
			args = append(args, q.Status)
		}
		conds = append(conds, "t.id IN ("+sub+")")
	}
	conds = append(conds, "t.deleted = 0")
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	sqlText := "SELECT " + strings.Join(cols, ", ") + ", t._v" + from.String() +
		" WHERE " + strings.Join(conds, " AND ") +
		" ORDER BY t.name COLLATE NOCASE, t.id LIMIT " + strconv.Itoa(limit) + " OFFSET " + strconv.Itoa(q.Offset)
	recs, err := s.queryRecords(ctx, s.ro, t, sqlText, args...)
	if err != nil {
		return nil, err
	}
	out := make([]*domain.Trainee, len(recs))
	for i, r := range recs {
		out[i] = r.(*domain.Trainee)
	}
	return out, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
