package kit

import (
	"context"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// Store is what the kit reads and writes: the records of a table, paged,
// searched and counted, saved and deleted, and the rules that check them.
// *store.Store satisfies it. A record screen declares its own Store with
// this and the few reads of its own (funding: cohort labels and totals),
// and uses the store only through it: no sync, backups or meta.
type Store interface {
	List(ctx context.Context, t *domain.Table, q store.Query) ([]domain.Record, error)
	Count(ctx context.Context, t *domain.Table, q store.Query) (int, error)
	Save(ctx context.Context, rec domain.Record) (domain.Problems, error)
	Delete(ctx context.Context, rec domain.Record) error
	Rules() domain.Rules
}
