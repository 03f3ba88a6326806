package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// IdentityFile holds, beside the database, who this PC is: its device id,
// its centre, and its server and token once enrolled. It survives a
// damaged or emptied database, so that a rebuilt one is never mistaken for
// a new PC (a new device id would lose the PC's link to its centre), and a
// damaged one is noticed instead of being started afresh.
const IdentityFile = "identity.json"

// identity is the content of IdentityFile. The token is as secret here as
// in the database beside it; the file is readable by its owner only.
type identity struct {
	DeviceID  string `json:"device_id"`
	CentreID  string `json:"centre_id,omitempty"`
	ServerURL string `json:"server_url,omitempty"`
	Token     string `json:"device_token,omitempty"`
}

func (id identity) enrolled() bool { return id.CentreID != "" && id.ServerURL != "" && id.Token != "" }

// identityMeta are the meta keys mirrored into IdentityFile. The sync
// client writes server_url and device_token when it enrols.
var identityMeta = []string{"device_id", "centre_id", "server_url", "device_token"}

func dataDirOf(dbPath string) string { return filepath.Dir(dbPath) }

func readIdentity(dir string) (identity, error) {
	var id identity
	b, err := os.ReadFile(filepath.Join(dir, IdentityFile))
	if errors.Is(err, os.ErrNotExist) {
		return id, nil
	}
	if err != nil {
		return id, fmt.Errorf("read %s: %w", IdentityFile, err)
	}
	if err := json.Unmarshal(b, &id); err != nil {
		// A broken identity file must not stop the app: the database is
		// the primary copy, and saveIdentity writes the file again.
		return identity{}, nil
	}
	return id, nil
}

func writeIdentity(dir string, id identity) error {
	b, err := json.MarshalIndent(id, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, IdentityFile+".tmp")
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return err
	}
	f, err := os.Open(tmp)
	if err == nil {
		_ = f.Sync()
		f.Close()
	}
	return os.Rename(tmp, filepath.Join(dir, IdentityFile))
}

// saveIdentity mirrors the identity meta keys of the database into
// IdentityFile when they changed.
func (s *Store) saveIdentity(ctx context.Context) error {
	vals := map[string]string{}
	for _, k := range identityMeta {
		v, err := s.Meta(ctx, k)
		if err != nil {
			return err
		}
		vals[k] = v
	}
	id := identity{DeviceID: vals["device_id"], CentreID: vals["centre_id"], ServerURL: vals["server_url"], Token: vals["device_token"]}
	dir := dataDirOf(s.path)
	if cur, err := readIdentity(dir); err == nil && cur == id {
		return nil
	}
	if err := writeIdentity(dir, id); err != nil {
		return fmt.Errorf("save %s: %w", IdentityFile, err)
	}
	return nil
}
