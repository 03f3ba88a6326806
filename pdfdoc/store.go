package pdfdoc

import (
	"context"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// Store is what the documents read (and the one write they make: the
// certificate numbers a cohort's graduates lack are issued before they are
// printed). *store.Store satisfies it; the report screen hands over its own.
type Store interface {
	Centre(ctx context.Context) (*domain.Centre, error)
	Get(ctx context.Context, rec domain.Record) error
	List(ctx context.Context, t *domain.Table, q store.Query) ([]domain.Record, error)
	CohortRoster(ctx context.Context, cohortID string) ([]store.RosterEntry, error)
	CohortAttendance(ctx context.Context, cohortID string) ([]*domain.Attendance, error)
	CohortAssessments(ctx context.Context, cohortID string) ([]*domain.Assessment, error)
	CertificatesOf(ctx context.Context, enrollmentIDs []string) (map[string][]*domain.Certificate, error)
	IssueMissingCertificates(ctx context.Context, cohortID string) (int, error)
	CheckURL(ctx context.Context, code string) (string, error)
	KemandirianInput(ctx context.Context) (domain.KemandirianInput, error)
	// LocalTime is the PC's clock (store.Store.Now), which dates the documents.
	LocalTime() time.Time
}

var _ Store = (*store.Store)(nil)
