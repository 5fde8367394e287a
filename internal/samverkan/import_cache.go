package samverkan

import (
	"context"

	"github.com/google/uuid"
)

// readCache remembers, for the length of one import, the records every row looks up again:
// the parties, and the agreements and promise periods that lists and checks refer to. It sees every write of the
// import (they go through it), so it forgets an agreement when the import changes one.
// Callers get copies: the use cases change what they read before writing it.
type readCache struct {
	Tx
	municipalities map[string]Municipality
	policeAreas    map[string]PoliceArea
	agreements     map[uuid.UUID]Agreement
	periods        map[uuid.UUID]PromisePeriod
}

func newReadCache(tx Tx) *readCache {
	return &readCache{Tx: tx, municipalities: map[string]Municipality{}, policeAreas: map[string]PoliceArea{}, agreements: map[uuid.UUID]Agreement{},
		periods: map[uuid.UUID]PromisePeriod{}}
}

func (c *readCache) Municipality(ctx context.Context, code string) (*Municipality, error) {
	if m, ok := c.municipalities[code]; ok {
		return &m, nil
	}
	m, err := c.Tx.Municipality(ctx, code)
	if err == nil {
		c.municipalities[code] = *m
	}
	return m, err
}

func (c *readCache) PoliceArea(ctx context.Context, id string) (*PoliceArea, error) {
	if pa, ok := c.policeAreas[id]; ok {
		return &pa, nil
	}
	pa, err := c.Tx.PoliceArea(ctx, id)
	if err == nil {
		c.policeAreas[id] = *pa
	}
	return pa, err
}

func (c *readCache) Agreement(ctx context.Context, id uuid.UUID) (*Agreement, error) {
	if a, ok := c.agreements[id]; ok {
		return &a, nil
	}
	a, err := c.Tx.Agreement(ctx, id)
	if err == nil {
		c.agreements[id] = *a
	}
	return a, err
}

func (c *readCache) UpdateMunicipality(ctx context.Context, m *Municipality) error {
	delete(c.municipalities, m.Code)
	return c.Tx.UpdateMunicipality(ctx, m)
}

func (c *readCache) UpdatePoliceArea(ctx context.Context, pa *PoliceArea) error {
	delete(c.policeAreas, pa.ID)
	return c.Tx.UpdatePoliceArea(ctx, pa)
}

func (c *readCache) UpdateAgreement(ctx context.Context, a *Agreement) error {
	delete(c.agreements, a.ID)
	return c.Tx.UpdateAgreement(ctx, a)
}

func (c *readCache) UpdateAgreementStatus(ctx context.Context, a *Agreement) error {
	delete(c.agreements, a.ID)
	return c.Tx.UpdateAgreementStatus(ctx, a)
}

func (c *readCache) DeleteAgreement(ctx context.Context, id uuid.UUID, version int64) error {
	delete(c.agreements, id)
	return c.Tx.DeleteAgreement(ctx, id, version)
}

// LockList forgets the list before locking it, so that the read after the lock, which
// decides whether activities enter a public or an archived list, sees the committed state.
func (c *readCache) LockList(ctx context.Context, agreementID, periodID *uuid.UUID) error {
	if agreementID != nil {
		delete(c.agreements, *agreementID)
	}
	if periodID != nil {
		delete(c.periods, *periodID)
	}
	return c.Tx.LockList(ctx, agreementID, periodID)
}

func (c *readCache) PromisePeriod(ctx context.Context, id uuid.UUID) (*PromisePeriod, error) {
	if pp, ok := c.periods[id]; ok {
		return &pp, nil
	}
	pp, err := c.Tx.PromisePeriod(ctx, id)
	if err == nil {
		c.periods[id] = *pp
	}
	return pp, err
}

func (c *readCache) UpdatePromisePeriod(ctx context.Context, pp *PromisePeriod) error {
	delete(c.periods, pp.ID)
	return c.Tx.UpdatePromisePeriod(ctx, pp)
}

func (c *readCache) UpdatePromisePeriodStatus(ctx context.Context, pp *PromisePeriod) error {
	delete(c.periods, pp.ID)
	return c.Tx.UpdatePromisePeriodStatus(ctx, pp)
}

func (c *readCache) DeletePromisePeriod(ctx context.Context, id uuid.UUID, version int64) error {
	delete(c.periods, id)
	return c.Tx.DeletePromisePeriod(ctx, id, version)
}
