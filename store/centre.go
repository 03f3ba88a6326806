// Which centre this installation belongs to: made here offline, or
// joined on enrolment.

package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/kemnaker/blk/domain"
)

// InitCentre creates the centre profile of this installation and makes it
// the centre every later record belongs to. It fails if one exists already.
//
// A PC that enrolled into a centre whose server copy has no profile yet (a
// centre registered before servers wrote one) may create it: the profile
// then gets the centre's id.
func (s *Store) InitCentre(ctx context.Context, c *domain.Centre) (domain.Problems, error) {
	prev := s.CentreID()
	if prev != "" {
		if _, err := s.Centre(ctx); !errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("this data folder already has a centre profile (%s)", prev)
		}
		c.ID = prev
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
		s.centre = prev
		s.mu.Unlock()
		return warnings, err
	}
	return warnings, s.saveIdentity(ctx)
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
