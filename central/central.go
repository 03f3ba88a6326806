// Package central is blk-server's storage: centres, enrolment codes, devices
// and their tokens, the merged copy of every centre's records with per-field
// versions, the per-centre change sequence that pull cursors follow, the
// conflicts list and push rejections, and the published releases of the
// desktop app with their files. One Storage interface has two
// implementations over database/sql, SQLite (modernc, a single file, the
// default) and PostgreSQL (pgx), which differ only in SQL dialect and in how
// the per-centre sequence is locked.
//
// It knows nothing of HTTP: package sync/server serves the wire protocol on
// top of it (converting these types to package wire's messages), and the
// ministry dashboard queries it through the same methods. It never writes a
// desktop database.
package central

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange"
	"github.com/kemnaker/blk/msg"
	"github.com/kemnaker/blk/update"
)

// Storage is everything the server keeps. Both backends pass one test suite.
type Storage interface {
	// AddCentre registers a centre (c.ID may name the id a centre's PC
	// already has from `blk init`; empty makes a new one) and returns it.
	// A new centre gets its synced profile record from c.Name, c.Region and
	// c.Profile; a centre a PC registered first keeps the PC's profile.
	AddCentre(ctx context.Context, c Centre) (Centre, error)
	// Centres lists registered centres by name.
	Centres(ctx context.Context) ([]Centre, error)
	// NewCode makes a one-time enrolment code for the centre, valid for ttl.
	NewCode(ctx context.Context, centreID string, ttl time.Duration) (code string, expires time.Time, err error)
	// Enrol turns a code into a device token (the code is used up). Only the
	// token's SHA-256 hash is stored.
	Enrol(ctx context.Context, code, deviceID, deviceName string) (token string, dev Device, err error)
	// CheckCode reports ErrBadCode when code cannot enrol a PC into centreID
	// (a PC that has a centre already may only join that centre).
	CheckCode(ctx context.Context, code, centreID string) error
	// Authenticate returns the device a token belongs to.
	Authenticate(ctx context.Context, token string) (Device, error)
	// Devices lists every enrolled device.
	Devices(ctx context.Context) ([]Device, error)
	// RevokeDevice makes the device's token useless from now on.
	RevokeDevice(ctx context.Context, id string) error
	// Push applies one batch of a device's changes in one transaction.
	Push(ctx context.Context, dev Device, changes []domain.Change) (PushResult, error)
	// Pull returns the centre's changes after cursor, reference data after
	// refCursor, and the centre's conflicts, bounded by maxBytes. Field
	// versions written by skipDevice are left out (that device has them);
	// "" sends everything.
	Pull(ctx context.Context, centreID, skipDevice string, cursor, refCursor int64, maxBytes int) (PullResult, error)
	// ImportReference writes national reference records (vocational fields,
	// competency units) as the ministry.
	ImportReference(ctx context.Context, recs []domain.Record) error
	// Source is the centre's live records for exports (exchange.Source).
	Source(centreID string) exchange.Source
	// ResolveConflicts marks conflicts of the device's centre resolved and
	// gives them new centre seqs, so every PC of the centre pulls them
	// again. Ids unknown to the centre are ignored (a PC may hold conflicts
	// it found itself); resolving twice changes nothing.
	ResolveConflicts(ctx context.Context, dev Device, ids []string) error
	// Conflicts lists the conflicts of a centre, oldest first.
	Conflicts(ctx context.Context, centreID string) ([]domain.Conflict, error)
	// Duplicates lists trainees of one NIK that exist more than once (in
	// one centre or across centres); centreID "" means all centres.
	Duplicates(ctx context.Context, centreID string) ([]Duplicate, error)
	// AddRelease stores a signed release of the desktop app and its file,
	// read from file, which must be the file m describes (size, SHA-256).
	// A platform's version is published once and never replaced.
	AddRelease(ctx context.Context, m update.Manifest, file io.Reader) (Release, error)
	// Releases lists every published release, per platform newest first.
	Releases(ctx context.Context) ([]Release, error)
	// NewestRelease is the platform's release with the highest version
	// (ErrNotFound when there is none): what the sync reply announces.
	NewestRelease(ctx context.Context, platform string) (Release, error)
	// OpenRelease reads a release's file; the reader is valid while ctx is.
	OpenRelease(ctx context.Context, id string) (Release, io.ReadSeeker, error)
	// Backup writes an online, consistent copy of a SQLite database to a
	// new file; PostgreSQL answers ErrBackupPostgres (use pg_dump).
	Backup(ctx context.Context, dst string) error
	// Audit records an act done outside the storage (a dashboard login) with
	// the actor of ctx (WithActor); AuditLog lists the trail since a time.
	Audit(ctx context.Context, action, target, detail string) error
	AuditLog(ctx context.Context, since time.Time, limit int) ([]AuditEntry, error)
	Ping(ctx context.Context) error
	Close() error
}

// Centre is a registered BLK Komunitas.
type Centre struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Region    string    `json:"region"`
	CreatedAt time.Time `json:"created_at"`
	// Code is the short code the server gives the centre (province and a
	// number, e.g. 32007), the first part of its certificate numbers.
	Code string `json:"code"`
	// Profile holds what else the ministry knows of the centre when it
	// registers it (host type, address, head, phone, …); AddCentre stores
	// it, with Name and Region, as the centre's synced profile record, so
	// the first PC that enrols can work at once.
	Profile domain.Centre `json:"-"`
}

// Device is one enrolled PC.
type Device struct {
	ID         string    `json:"id"`
	CentreID   string    `json:"centre_id"`
	Name       string    `json:"name"`
	EnrolledAt time.Time `json:"enrolled_at"`
	Revoked    bool      `json:"revoked"`
	LastSeen   time.Time `json:"last_seen"`
	AppliedSeq int64     `json:"applied_seq"`
	// AppliedClock is the clock of the change at AppliedSeq: a PC restored
	// from an old backup reuses seqs, and this tells it (see docs/SYNC.md).
	AppliedClock domain.Clock `json:"applied_clock"`
	// No is the PC's number within its centre (1, 2, …), given at
	// enrolment and never reused; CentreCode is its centre's Code. Both
	// go into the certificate numbers the PC issues.
	No         int64  `json:"no"`
	CentreCode string `json:"centre_code"`
}

// Rejection is one change the server refused, with a reason the operator can
// act on, in Indonesian and English.
type Rejection struct {
	Seq      int64  `json:"s"`
	Table    string `json:"t"`
	RowID    string `json:"i"`
	Field    string `json:"f,omitempty"`
	ReasonID string `json:"reason"`
	ReasonEN string `json:"reason_en"`
}

// PushResult answers a push: the highest device seq durably applied (every
// change up to it is stored or rejected) and the rejections among the batch.
type PushResult struct {
	AppliedSeq   int64        `json:"applied_seq"`
	AppliedClock domain.Clock `json:"applied_clock"` // clock of the change at AppliedSeq
	Rejections   []Rejection  `json:"rejections,omitempty"`
	Conflicts    int          `json:"conflicts"` // new conflicts this batch caused
}

// PullResult is one page of a pull.
type PullResult struct {
	Cursor     int64             `json:"cursor"`
	RefCursor  int64             `json:"ref_cursor"`
	More       bool              `json:"more"`
	Changes    []domain.Change   `json:"changes"`
	RefChanges []domain.Change   `json:"ref_changes,omitempty"`
	Conflicts  []domain.Conflict `json:"conflicts,omitempty"`
}

// Duplicate is one NIK held by more than one live trainee record.
type Duplicate struct {
	NIK      string   `json:"nik"`
	Trainees []string `json:"trainees"` // ids
	Centres  []string `json:"centres"`  // their centre ids, same order
}

// Errors the HTTP layer maps to status codes.
var (
	ErrBadCode      = errors.New("enrolment code is unknown, expired or already used: ask the ministry admin for a new code (`blk-server centre code`)")
	ErrBadToken     = errors.New("device token is not valid: enrol this PC again")
	ErrRevoked      = errors.New("this PC has been revoked by the ministry admin: ask for a new enrolment code")
	ErrForbidden    = errors.New("change touches data outside this PC's centre")
	ErrInvalid      = errors.New("invalid request")
	ErrNotFound     = errors.New("not found")
	ErrDeviceExists = errors.New("this PC is already enrolled; use a new data folder to enrol again")
)

// NewerSchemaError refuses a database a newer blk-server has upgraded: an
// older binary would write rows in a layout the newer one no longer reads
// (an operator rolling back after an upgrade). Nothing is changed.
type NewerSchemaError struct{ Have, Know int }

func (e *NewerSchemaError) Error() string { return e.Localized(msg.English) }

// Localized is the refusal in lang, with what to do.
func (e *NewerSchemaError) Localized(lang msg.Lang) string {
	return msg.T(lang, "server.db_newer", e.Have, e.Know)
}

// MaxClockAhead is how far a change's clock may be ahead of the server's
// clock. Clients correct their clocks before pushing (see docs/SYNC.md); a
// change further ahead is rejected so one PC cannot win every later edit.
const MaxClockAhead = 10 * time.Minute

// ServerDevice is the version author of records the ministry writes.
const ServerDevice = "server"

// Open opens the storage a --db value names: "postgres://…" or
// "postgresql://…" for PostgreSQL, "sqlite:PATH" or a bare path for SQLite.
func Open(ctx context.Context, db string) (Storage, error) {
	switch {
	case strings.HasPrefix(db, "postgres://"), strings.HasPrefix(db, "postgresql://"):
		return OpenPostgres(ctx, db)
	case strings.HasPrefix(db, "sqlite:"):
		return OpenSQLite(ctx, strings.TrimPrefix(db, "sqlite:"))
	}
	return OpenSQLite(ctx, db)
}
