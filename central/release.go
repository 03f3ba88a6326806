package central

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/kemnaker/blk/update"
)

// Release is one published release of the desktop app: the ministry's
// signed manifest and the file it describes (installer or tarball), which
// the server keeps and serves to enrolled PCs. The server never signs: it
// cannot make a PC take anything the ministry did not sign.
type Release struct {
	ID string `json:"id"` // PLATFORM-VERSION, e.g. windows-amd64-0.3.0: the download's name
	update.Manifest
	AddedAt time.Time `json:"added_at"`
}

// ReleaseID is the id of a platform's release of a version.
func ReleaseID(platform, version string) string { return platform + "-" + version }

// releaseChunk is the size of one stored piece of a release file.
//
// Release files live in the database, in pieces, rather than in a folder
// beside it: every server replica behind a load balancer then serves the
// same bytes with no shared disk, the release row and its bytes appear in
// one commit (a PC is never told of a file that is half copied or missing),
// and a backup of the database is a backup of the releases. Pieces keep
// clear of PostgreSQL's 1 GB limit per bytea value and of SQLite's default
// 1 GB blob limit, so a multi-gigabyte file is just more rows; and serving
// a byte range reads only the pieces it covers, one at a time, so a
// thousand PCs downloading at once hold a quarter of a megabyte each.
const releaseChunk = 256 << 10

// chunksPerTx bounds one write transaction of AddRelease: SQLite has one
// writer, and the PCs' pushes wait while a large file is stored.
const chunksPerTx = 16

// releaseSchema is the release tables in the dialect's blob type.
func releaseSchema(d dialect) []string {
	blob := "BLOB"
	if d.name == "postgres" {
		blob = "BYTEA"
	}
	releases := `CREATE TABLE IF NOT EXISTS releases (id TEXT PRIMARY KEY, version TEXT NOT NULL, platform TEXT NOT NULL, file TEXT NOT NULL, size BIGINT NOT NULL, sha256 TEXT NOT NULL, signature TEXT NOT NULL, added_at BIGINT NOT NULL, UNIQUE (platform, version))`
	chunks := `CREATE TABLE IF NOT EXISTS release_chunks (release_id TEXT NOT NULL, n INTEGER NOT NULL, data ` + blob + ` NOT NULL, PRIMARY KEY (release_id, n))`
	return []string{releases, chunks}
}

func (s *sqlStorage) AddRelease(ctx context.Context, m update.Manifest, file io.Reader) (Release, error) {
	if err := m.Check(); err != nil {
		return Release{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if len(m.Signature) == 0 {
		return Release{}, fmt.Errorf("%w: the release %s for %s is not signed; sign it with `blk-server release sign` on the signing PC", ErrInvalid, m.Version, m.Platform)
	}
	id := ReleaseID(m.Platform, m.Version)
	var n int
	if err := s.ro.QueryRowContext(ctx, s.q(`SELECT count(*) FROM releases WHERE id = ?`), id).Scan(&n); err != nil {
		return Release{}, err
	}
	if n > 0 {
		return Release{}, fmt.Errorf("%w: release %s for %s is already published, and a version never names two files: raise the version in FyneApp.toml and build again", ErrInvalid, m.Version, m.Platform)
	}
	// Pieces of an earlier attempt that failed before its release row.
	if _, err := s.rw.ExecContext(ctx, s.q(`DELETE FROM release_chunks WHERE release_id = ?`), id); err != nil {
		return Release{}, err
	}
	fail := func(err error) (Release, error) {
		_, _ = s.rw.ExecContext(context.WithoutCancel(ctx), s.q(`DELETE FROM release_chunks WHERE release_id = ?`), id)
		return Release{}, err
	}
	h := sha256.New()
	var size int64
	buf := make([]byte, releaseChunk)
	for piece, done := 0, false; !done; {
		tx, err := s.rw.BeginTx(ctx, nil)
		if err != nil {
			return fail(err)
		}
		for i := 0; i < chunksPerTx && !done; i++ {
			k, err := io.ReadFull(file, buf)
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				done = true
			} else if err != nil {
				tx.Rollback()
				return fail(fmt.Errorf("read the release file: %w", err))
			}
			if k == 0 {
				break
			}
			h.Write(buf[:k])
			size += int64(k)
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO release_chunks (release_id, n, data) VALUES (?, ?, ?)`), id, piece, buf[:k]); err != nil {
				tx.Rollback()
				return fail(err)
			}
			piece++
		}
		if err := tx.Commit(); err != nil {
			return fail(err)
		}
	}
	if sum := hex.EncodeToString(h.Sum(nil)); size != m.Size || sum != m.SHA256 {
		return fail(fmt.Errorf("%w: the file has %d bytes with SHA-256 %s, but the manifest describes %d bytes with %s: publish the file that was signed", ErrInvalid, size, sum, m.Size, m.SHA256))
	}
	r := Release{ID: id, Manifest: m, AddedAt: s.now().UTC().Truncate(time.Millisecond)}
	if err := s.recordRelease(ctx, r); err != nil {
		return fail(fmt.Errorf("record release %s: %w", id, err))
	}
	return r, nil
}

// recordRelease publishes r: its row and its audit entry in one commit.
func (s *sqlStorage) recordRelease(ctx context.Context, r Release) error {
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	m := r.Manifest
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO releases (id, version, platform, file, size, sha256, signature, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		r.ID, m.Version, m.Platform, m.File, m.Size, m.SHA256, base64.StdEncoding.EncodeToString(m.Signature), r.AddedAt.UnixMilli()); err != nil {
		return err
	}
	if err := s.audit(ctx, tx, AuditReleaseAdd, r.ID, fmt.Sprintf("%s, %d bytes, sha256 %s", m.File, m.Size, m.SHA256)); err != nil {
		return err
	}
	return tx.Commit()
}

const releaseCols = `id, version, platform, file, size, sha256, signature, added_at`

func scanRelease(sc interface{ Scan(...any) error }) (Release, error) {
	var r Release
	var sig string
	var at int64
	if err := sc.Scan(&r.ID, &r.Version, &r.Platform, &r.File, &r.Size, &r.SHA256, &sig, &at); err != nil {
		return Release{}, err
	}
	var err error
	if r.Signature, err = base64.StdEncoding.DecodeString(sig); err != nil {
		return Release{}, fmt.Errorf("release %s: stored signature: %w", r.ID, err)
	}
	r.AddedAt = time.UnixMilli(at).UTC()
	return r, nil
}

func (s *sqlStorage) releases(ctx context.Context, where string, args ...any) ([]Release, error) {
	rows, err := s.ro.QueryContext(ctx, s.q(`SELECT `+releaseCols+` FROM releases`+where), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Release
	for rows.Next() {
		r, err := scanRelease(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Newest first by semantic version, which SQL cannot order.
	slices.SortFunc(out, func(a, b Release) int {
		if a.Platform != b.Platform {
			if a.Platform < b.Platform {
				return -1
			}
			return 1
		}
		va, _ := update.ParseVersion(a.Version)
		vb, _ := update.ParseVersion(b.Version)
		return vb.Compare(va)
	})
	return out, nil
}

func (s *sqlStorage) Releases(ctx context.Context) ([]Release, error) {
	return s.releases(ctx, "")
}

func (s *sqlStorage) NewestRelease(ctx context.Context, platform string) (Release, error) {
	rs, err := s.releases(ctx, ` WHERE platform = ?`, platform)
	if err != nil {
		return Release{}, err
	}
	if len(rs) == 0 {
		return Release{}, fmt.Errorf("no release for %s: %w", platform, ErrNotFound)
	}
	return rs[0], nil
}

func (s *sqlStorage) OpenRelease(ctx context.Context, id string) (Release, io.ReadSeeker, error) {
	r, err := scanRelease(s.ro.QueryRowContext(ctx, s.q(`SELECT `+releaseCols+` FROM releases WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return Release{}, nil, fmt.Errorf("release %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return Release{}, nil, err
	}
	return r, &releaseReader{ctx: ctx, s: s, id: id, size: r.Size, piece: -1}, nil
}

// releaseReader reads a stored release file piece by piece, holding one
// piece at a time; http.ServeContent seeks it to serve byte ranges.
type releaseReader struct {
	ctx   context.Context
	s     *sqlStorage
	id    string
	size  int64
	off   int64
	piece int    // the piece in buf, -1 none
	buf   []byte // its bytes
}

func (r *releaseReader) Read(p []byte) (int, error) {
	if r.off >= r.size {
		return 0, io.EOF
	}
	n := int(r.off / releaseChunk)
	if n != r.piece {
		r.buf = r.buf[:0]
		err := r.s.ro.QueryRowContext(r.ctx, r.s.q(`SELECT data FROM release_chunks WHERE release_id = ? AND n = ?`), r.id, n).Scan(&r.buf)
		if err != nil {
			r.piece = -1
			return 0, fmt.Errorf("release %s, piece %d: %w", r.id, n, err)
		}
		r.piece = n
	}
	start := int(r.off - int64(n)*releaseChunk)
	if start >= len(r.buf) {
		return 0, fmt.Errorf("release %s, piece %d: %w", r.id, n, io.ErrUnexpectedEOF)
	}
	k := copy(p, r.buf[start:])
	r.off += int64(k)
	return k, nil
}

func (r *releaseReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.off
	case io.SeekEnd:
		offset += r.size
	default:
		return 0, errors.New("seek: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("seek: negative position")
	}
	r.off = offset
	return offset, nil
}
