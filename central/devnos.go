package central

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	gosync "sync"
)

// deviceNumbers caches the devices' numbers within their centres
// (devices.device_no: given at enrolment, never changed or reused), which
// the stored versions write instead of a device's UUID (#<number>, 2
// characters instead of 22, in every version group of every record).
type deviceNumbers struct {
	mu   gosync.Mutex
	byNo map[string]string   // centre + "/" + number → device id
	no   map[string]centreNo // device id → its centre and number
}

type centreNo struct {
	centre string
	no     int64
}

func (d *deviceNumbers) add(id, centre string, no int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.byNo == nil {
		d.byNo, d.no = map[string]string{}, map[string]centreNo{}
	}
	d.byNo[centre+"/"+strconv.FormatInt(no, 10)] = id
	d.no[id] = centreNo{centre, no}
}

// deviceOf gives the device of a number in centre, reading the devices
// table through q the first time.
func (s *sqlStorage) deviceOf(ctx context.Context, q querier, centre string) func(int64) (string, error) {
	return func(no int64) (string, error) {
		s.devNos.mu.Lock()
		id, ok := s.devNos.byNo[centre+"/"+strconv.FormatInt(no, 10)]
		s.devNos.mu.Unlock()
		if ok {
			return id, nil
		}
		err := q.QueryRowContext(ctx, s.q(`SELECT id FROM devices WHERE centre_id = ? AND device_no = ?`), centre, no).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("centre %s has no device number %d", centre, no)
		}
		if err != nil {
			return "", err
		}
		s.devNos.add(id, centre, no)
		return id, nil
	}
}

// numberIn gives a device's number in centre when it is known without a
// query: dev's own, or one read before (0: write the device's UUID, which
// is always right).
func (s *sqlStorage) numberIn(centre string, dev Device) func(string) int64 {
	return func(id string) int64 {
		if id == dev.ID && dev.CentreID == centre && dev.No > 0 {
			return dev.No
		}
		s.devNos.mu.Lock()
		defer s.devNos.mu.Unlock()
		if n, ok := s.devNos.no[id]; ok && n.centre == centre {
			return n.no
		}
		return 0
	}
}

// numberOfDevice is device id's number in centre, read through q when it
// is not known yet (0: it has none, so its versions carry its UUID).
func (s *sqlStorage) numberOfDevice(ctx context.Context, q querier, centre, id string) (int64, error) {
	if n := s.numberIn(centre, Device{})(id); n > 0 {
		return n, nil
	}
	var no int64
	err := q.QueryRowContext(ctx, s.q(`SELECT device_no FROM devices WHERE id = ? AND centre_id = ?`), id, centre).Scan(&no)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if no > 0 {
		s.devNos.add(id, centre, no)
	}
	return no, nil
}

// loadDeviceNumbers reads every device's number (for a migration that
// rewrites every record).
func (s *sqlStorage) loadDeviceNumbers(ctx context.Context, q querier) error {
	rows, err := q.QueryContext(ctx, `SELECT id, centre_id, device_no FROM devices WHERE device_no > 0`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, centre string
		var no int64
		if err := rows.Scan(&id, &centre, &no); err != nil {
			return err
		}
		s.devNos.add(id, centre, no)
	}
	return rows.Err()
}
