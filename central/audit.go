package central

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/kemnaker/blk/domain"
)

// Audit actions: what the ministry's administrators and the server's users
// did. Secrets (codes, passwords, tokens) never go into an entry.
const (
	AuditCentreAdd       = "centre.add"
	AuditCodeIssue       = "code.issue"
	AuditDeviceEnrol     = "device.enrol"
	AuditDeviceRevoke    = "device.revoke"
	AuditUserAdd         = "user.add"
	AuditReferenceImport = "refdata.import"
	AuditLoginOK         = "login.ok"
	AuditLoginFail       = "login.fail"
	AuditBackup          = "backup"
	AuditReleaseAdd      = "release.add"
)

// AuditEntry is one act recorded in the server's audit trail.
type AuditEntry struct {
	ID     string    `json:"id"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`  // "cli:<os user>", a dashboard user, a device id
	Remote string    `json:"remote"` // client address, for acts that came over the network
	Action string    `json:"action"`
	Target string    `json:"target"` // centre, device or user concerned
	Detail string    `json:"detail"`
}

type actorKey struct{}

type actor struct{ name, remote string }

// WithActor says who is acting through ctx: the command line passes
// "cli:<os user>", the dashboard its user, the sync API the client address.
func WithActor(ctx context.Context, name, remote string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor{name, remote})
}

func actorOf(ctx context.Context) actor {
	a, _ := ctx.Value(actorKey{}).(actor)
	if a.name == "" {
		a.name = "unknown"
	}
	return a
}

// Limits of an audit entry's text, so a hostile login name cannot grow the
// trail without bound.
const (
	maxAuditField  = 200
	maxAuditDetail = 1000
)

// execer is a database handle or a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// audit writes one entry with the actor of ctx, in tx when the act has one
// so the entry commits or rolls back with it.
func (s *sqlStorage) audit(ctx context.Context, q execer, action, target, detail string) error {
	a := actorOf(ctx)
	clean := func(v string, n int) string { return cutRunes(sanitizeText(v), n) }
	_, err := q.ExecContext(ctx, s.q(`INSERT INTO audit (id, at, actor, remote, action, target, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		domain.NewID(), s.now().UnixMilli(), clean(a.name, maxAuditField), clean(a.remote, maxAuditField), action,
		clean(target, maxAuditField), clean(detail, maxAuditDetail))
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// Audit records an act that happened outside the storage (a dashboard login).
func (s *sqlStorage) Audit(ctx context.Context, action, target, detail string) error {
	return s.audit(ctx, s.rw, action, target, detail)
}

// AuditLog lists the entries at or after since, oldest first, at most limit
// (0: all).
func (s *sqlStorage) AuditLog(ctx context.Context, since time.Time, limit int) ([]AuditEntry, error) {
	q := `SELECT id, at, actor, remote, action, target, detail FROM audit WHERE at >= ? ORDER BY at, id`
	args := []any{since.UnixMilli()}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := s.ro.QueryContext(ctx, s.q(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Remote, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, err
		}
		e.At = time.UnixMilli(at).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// sanitizeText makes v storable on both backends: valid UTF-8 without NUL.
func sanitizeText(v string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(v, ""), "\x00", "")
}
