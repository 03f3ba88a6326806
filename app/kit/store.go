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

var _ Store = (*store.Store)(nil)

// ListOf is store.ListOf over a Store: the records of T's table matching q.
func ListOf[T domain.Record](ctx context.Context, st Store, q store.Query) ([]T, error) {
	var zero T
	recs, err := st.List(ctx, domain.TableOf(zero), q)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(recs))
	for i, r := range recs {
		out[i] = r.(T)
	}
	return out, nil
}
