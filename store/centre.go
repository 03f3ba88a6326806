// Which centre this installation belongs to: made here offline, or
// joined on enrolment.

package store

import (
	"context"
	"fmt"

	"github.com/kemnaker/blk/domain"
)

// InitCentre creates the centre profile of this installation and makes it
// the centre every later record belongs to. It fails if one exists already.
func (s *Store) InitCentre(ctx context.Context, c *domain.Centre) (domain.Problems, error) {
	if s.CentreID() != "" {
		return nil, fmt.Errorf("this data folder already has a centre profile (%s)", s.CentreID())
	}
	if c.ID == "" {
		c.ID = domain.NewID()
	}
	var warnings domain.Problems
	err := s.Write(ctx, func(tx *Tx) error {
		s.mu.Lock()
		s.centre = c.ID
		s.mu.Unlock()
		var err error
		if warnings, err = tx.Save(c); err != nil {
			return err
		}
		return setMetaTx(ctx, tx.tx, "centre_id", c.ID)
	})
	if err != nil {
		s.mu.Lock()
		s.centre = ""
		s.mu.Unlock()
	}
	return warnings, err
}

// JoinCentre makes this installation a device of an existing centre (on
// enrolment, before its records are pulled). Only an empty store can join.
func (s *Store) JoinCentre(ctx context.Context, centreID string) error {
	if cur := s.CentreID(); cur != "" && cur != centreID {
		return fmt.Errorf("this data folder belongs to another centre (%s); use a new data folder", cur)
	}
	if err := s.SetMeta(ctx, "centre_id", centreID); err != nil {
		return err
	}
	s.mu.Lock()
	s.centre = centreID
	s.mu.Unlock()
	return nil
}

// Centre returns this installation's centre profile.
func (s *Store) Centre(ctx context.Context) (*domain.Centre, error) {
	id := s.CentreID()
	if id == "" {
		return nil, ErrNoCentre
	}
	c := &domain.Centre{}
	c.ID = id
	return c, s.Get(ctx, c)
}
