package central

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// OpenReplica opens a PostgreSQL streaming replica (a hot standby of the
// server's database) for reading: the dashboard's pages, which then cost
// the primary nothing (`blk-server serve --read-db`). Nothing is migrated
// (the primary's migrations arrive by replication) and every session is
// read-only, so a write by mistake fails instead of reaching a standby.
// The replica lags the primary by what is in flight, usually well under a
// second; the dashboard's pages are cached a minute anyway.
func OpenReplica(ctx context.Context, dsn string) (Storage, error) {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return nil, fmt.Errorf("%w: a read replica is a PostgreSQL database (postgres://…)", ErrInvalid)
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres connection string: %w", err)
	}
	if _, set := cfg.RuntimeParams["plan_cache_mode"]; !set {
		cfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	cfg.RuntimeParams["default_transaction_read_only"] = "on"
	db := stdlib.OpenDB(*cfg)
	// Dashboard readers only: a few at a time (docs/DEPLOY.md).
	db.SetMaxOpenConns(max(4, 2*runtime.NumCPU()))
	db.SetMaxIdleConns(max(4, 2*runtime.NumCPU()))
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &sqlStorage{d: postgresDialect, rw: db, ro: db, now: time.Now, readOnly: true}
	var v int
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(v), 0) FROM schema_version`).Scan(&v); err != nil {
		db.Close()
		return nil, fmt.Errorf("open read replica: no blk-server database there: %w", err)
	}
	if v < len(migrations) {
		db.Close()
		return nil, fmt.Errorf("open read replica: its schema is at migration %d of %d: is it a replica of this server's database, and has it caught up?", v, len(migrations))
	}
	return s, nil
}
