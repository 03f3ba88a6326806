package domain

// Change is one write to one record as it travels between device and server:
// the fields it set, all with one version (Clock, Device). Base holds, per
// field, the version the writer had before it overwrote it; a field absent
// from Base was never written on the writer's side. Merge compares Base with
// the version it holds to tell a later edit (Base equals it) from a
// concurrent one (it does not).
type Change struct {
	Seq    int64              `json:"s"` // device seq of the write (outbox position)
	Table  string             `json:"t"`
	ID     string             `json:"i"`
	Clock  Clock              `json:"c"`
	Device string             `json:"d,omitempty"`
	Fields map[string]any     `json:"f"`
	Base   map[string]Version `json:"b,omitempty"`
}

// Version of the write.
func (c Change) Version() Version { return Version{Clock: c.Clock, Device: c.Device} }

// Conflict is the losing value of two concurrent writes to one field, kept
// so that a person can see both and pick the other one.
type Conflict struct {
	ID           string  `json:"id"`
	Table        string  `json:"table"`
	RowID        string  `json:"row_id"`
	Field        string  `json:"field"`
	Winner       any     `json:"winner"`
	WinnerVer    Version `json:"winner_version"`
	Loser        any     `json:"loser"`
	LoserVer     Version `json:"loser_version"`
	DetectedAtMS int64   `json:"detected_at_ms"`
	Resolved     bool    `json:"resolved"`
	// ResolvedBy and ResolvedAtMS say which PC's operator resolved it, and
	// when the server heard of it (server copy only).
	ResolvedBy   string `json:"resolved_by,omitempty"`
	ResolvedAtMS int64  `json:"resolved_at_ms,omitempty"`
}

// ConflictID derives the id of a conflict from what lost, so the server and
// every device name the same conflict the same way.
func ConflictID(table, row, field string, loser Version) string {
	return NaturalID("conflict", table, row, field, loser.Device, itoa(int64(loser.Clock)))
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
