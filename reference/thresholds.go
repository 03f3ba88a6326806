package reference

import (
	"strconv"
	"strings"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/msg"
)

// ThresholdColumns are the headers of the road map's thresholds file, the
// other kind of national reference data `blk-server reference import`
// reads: one row per threshold, named by its field in
// domain.KemandirianThresholds (berkembang_min, sdm_instructors,
// legal_accreditation, own_income_pct, income_months, traced_pct,
// traced_months, partner_categories). A threshold the file leaves out
// keeps its documented default (domain.DefaultThresholds).
var ThresholdColumns = []string{"threshold", "value"}

// isThresholds reports whether a header row is the thresholds file's.
func isThresholds(col map[string]int) bool {
	_, a := col["threshold"]
	_, b := col["value"]
	return a && b
}

// parseThresholds reads the thresholds under the header row at index header.
func parseThresholds(rows [][]string, header int, col map[string]int) ([]domain.Record, error) {
	th := domain.DefaultThresholds()
	t := domain.TableOf(&th)
	seen := map[string]int{}
	for i := header + 1; i < len(rows); i++ {
		row, line := rows[i], i+1
		if blank(row) {
			continue
		}
		get := func(name string) string {
			if c := col[name]; c < len(row) {
				return strings.TrimSpace(row[c])
			}
			return ""
		}
		name, value := strings.ToLower(get("threshold")), get("value")
		f, ok := t.Field(name)
		if !ok || name == "id" || name == "centre_id" || name == "deleted" || name == "code" {
			return nil, errorf(line, "reference.threshold_unknown", line, name)
		}
		if first, dup := seen[name]; dup {
			return nil, errorf(line, "reference.threshold_twice", line, name, first)
		}
		seen[name] = line
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return nil, errorf(line, "reference.threshold_number", line, name, value)
		}
		var v any = n
		if f.Kind == domain.KindBool {
			v = n != 0
		}
		if err := f.Set(&th, v); err != nil {
			return nil, errorf(line, "reference.threshold_number", line, name, value)
		}
	}
	if len(seen) == 0 {
		return nil, notReference(errorf(0, "reference.empty"))
	}
	if ps := domain.Validate(&th, domain.Rules{}); ps.Invalid() {
		return nil, &Error{ID: msg.T(msg.Indonesian, "reference.thresholds_invalid", ps.Text(domain.Indonesian)),
			EN: msg.T(msg.English, "reference.thresholds_invalid", ps.Text(domain.English))}
	}
	return []domain.Record{&th}, nil
}
