package domain

import "sort"

// Versions holds the version of each field of a stored record. The key "*"
// stands for every field it does not list (the desktop writes a record it
// creates with one version for all its fields).
type Versions map[string]Version

// Of is the version of field (the zero version when it was never written).
func (v Versions) Of(field string) Version {
	if x, ok := v[field]; ok {
		return x
	}
	return v["*"]
}

// MergeOptions are what the two sides of a merge may differ in.
type MergeOptions struct {
	// Knowing says the writer saw every value it overwrites (the ministry
	// importing reference data): no conflict is kept for a field it wins.
	Knowing bool
	// DetectedAtMS is when the merge runs (Unix ms), stamped on conflicts.
	DetectedAtMS int64
}

// MergeResult is what merging one change into one record decided.
type MergeResult struct {
	// Won lists, sorted, the fields the change won: their values and
	// versions are already set in the record's maps; the caller writes them.
	Won []string
	// Conflicts are the losing values of concurrent writes to one field.
	Conflicts []Conflict
}

// Merge is the merge rule, the one function the desktop and the server run
// when a change arrives: field by field, the newer version wins
// (Version.Newer) and an equal version is the same write arriving again.
// vals and vers are the record as stored (empty for a record not yet
// stored), c's field values already normalised (Table.NormalizeFields), and
// ver the change's version as the receiver trusts it. Merge sets the fields
// the change wins in vals and vers.
//
// When two writes of one field were concurrent (neither writer had seen the
// other's value: the winner's base is not the version it replaced) the
// loser is returned as a conflict, never dropped silently. The server keeps
// them and every PC receives them with its pull; a PC's own merge finds the
// same ones and leaves them to the server's copy.
func Merge(c Change, ver Version, vals map[string]any, vers Versions, opt MergeOptions) MergeResult {
	names := make([]string, 0, len(c.Fields))
	for n := range c.Fields {
		names = append(names, n)
	}
	sort.Strings(names)
	var res MergeResult
	conflict := func(field string, winner any, wv Version, loser any, lv Version) {
		res.Conflicts = append(res.Conflicts, Conflict{
			ID: ConflictID(c.Table, c.ID, field, lv), Table: c.Table, RowID: c.ID, Field: field,
			Winner: winner, WinnerVer: wv, Loser: loser, LoserVer: lv, DetectedAtMS: opt.DetectedAtMS,
		})
	}
	for _, name := range names {
		v := c.Fields[name]
		cur := vers.Of(name)
		if cur == ver {
			continue // this very write, again
		}
		old, has := vals[name]
		base := c.Base[name]
		if opt.Knowing {
			base = cur
		}
		if ver.Newer(cur) {
			if !cur.IsZero() && base != cur && has && old != v {
				conflict(name, v, ver, old, cur)
			}
			vals[name] = v
			vers[name] = ver
			res.Won = append(res.Won, name)
		} else if old != v {
			conflict(name, old, cur, v, ver)
		}
	}
	return res
}
