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
	// OrderBy sorts the whole list, not one page: "name", "nik" or
	// "birth_date"; "" is name order (NIK order for a digit fragment).
	// Desc reverses it.
	OrderBy string
	Desc    bool
}

// traineeOrder is the ORDER BY of a trainee page: a column with an index,
// then rowid, so a page is read off the index in either direction.
func traineeOrder(q TraineeQuery, digits bool) string {
	col := "name COLLATE NOCASE"
	switch {
	case q.OrderBy == "nik" || (q.OrderBy == "" && digits):
		col = "nik"
	case q.OrderBy == "birth_date":
		col = "birth_date"
	}
	if q.Desc {
		return col + " DESC, rowid DESC"
	}
	return col + ", rowid"
}

// SearchTrainees finds trainees by name or NIK fragment. Names come in name
// order; a run of digits is a NIK fragment and comes in NIK order.
//
// It stays fast at 100k trainees by never sorting whole rows: short
// fragments walk the name or NIK index from the fragment on (a prefix
// match), longer ones find row ids through the trigram index, order only the
// (key, rowid) pairs and then read the one page of rows.
func (s *Store) SearchTrainees(ctx context.Context, q TraineeQuery) ([]*domain.Trainee, error) {
	text := strings.TrimSpace(q.Text)
	if d := domain.CleanDigits(text); isDigits(d) {
		text = d
	}
	digits := isDigits(text)
	// rowid (not id) breaks ties, so the (name, rowid) index gives the order
	// and a page is read off the index without sorting the matches.
	key := traineeOrder(q, digits)
	// Short fragments are prefixes: a range on the index, which also yields the order.
	prefix := utf8.RuneCountInString(text) < 3
	if digits && !prefix {
		// A NIK is typed from its start far more often than from its middle:
		// when some NIK starts with the digits, a prefix range is exact and fast.
		var one int
		if err := s.ro.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM trainees WHERE nik >= ? AND nik < ? LIMIT 1)`, text, text+":").Scan(&one); err != nil {
			return nil, err
		}
		prefix = one > 0
	}
	var conds []string
	var args []any
	switch {
	case text == "":
	case prefix:
		col := "name COLLATE NOCASE"
		if digits {
			col = "nik"
		}
		conds = append(conds, col+" >= ?", col+" < ?")
		args = append(args, text, text+"\U0010FFFF")
	default:
		col := "name"
		if digits {
			col = "nik"
		}
		match := col + `:"` + strings.ReplaceAll(text, `"`, `""`) + `"`
		// A common fragment ("siti") matches thousands: sorting them all costs
		// more than walking the ordered index and testing each row, which
		// fills a page after a few hundred rows. A rare one is cheapest
		// through the trigram index. Counting a bounded number of matches
		// tells which.
		var n int
		if err := s.ro.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM trainee_search WHERE trainee_search MATCH ? LIMIT ?)`, match, commonMatches).Scan(&n); err != nil {
			return nil, err
		}
		if n >= commonMatches {
			conds = append(conds, col+` LIKE ? ESCAPE '\'`)
			args = append(args, "%"+likeEscaper.Replace(text)+"%")
		} else {
			conds = append(conds, "rowid IN (SELECT rowid FROM trainee_search WHERE trainee_search MATCH ?)")
			args = append(args, match)
		}
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
		conds = append(conds, "id IN ("+sub+")")
	}
	conds = append(conds, "deleted = 0")
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	t := domain.LookupTable("trainees")
	page := "SELECT rowid FROM trainees WHERE " + strings.Join(conds, " AND ") +
		" ORDER BY " + key + " LIMIT " + strconv.Itoa(limit) + " OFFSET " + strconv.Itoa(q.Offset)
	sqlText := "SELECT " + columns(t) + ", _v FROM trainees WHERE rowid IN (" + page + ") ORDER BY " + key
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

// commonMatches is where a fragment counts as common (see SearchTrainees).
const commonMatches = 1500

var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

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
