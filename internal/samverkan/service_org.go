package samverkan

import "context"

func (s *Service) Municipality(ctx context.Context, code string) (*Municipality, error) {
	return s.store.Municipality(ctx, code)
}

func (s *Service) ListMunicipalities(ctx context.Context, f MunicipalityFilter) (Page[Municipality], error) {
	pageLimit(&f.PageRequest)
	return s.store.ListMunicipalities(ctx, f)
}

func (s *Service) CreateMunicipality(ctx context.Context, p *Principal, m Municipality) (*Municipality, error) {
	return inTx(ctx, s, p, func(tx Tx) (*Municipality, error) { return s.createMunicipality(ctx, tx, p, m) })
}

func (s *Service) createMunicipality(ctx context.Context, tx Tx, p *Principal, m Municipality) (*Municipality, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	if err := checkPoliceAreaRef(ctx, tx, m.PoliceAreaID); err != nil {
		return nil, err
	}
	if _, err := tx.Municipality(ctx, m.Code); err == nil {
		return nil, Errorf(EConflict, "A municipality with the code %s already exists.", m.Code)
	}
	now := s.now().UTC()
	m.Version, m.CreatedAt, m.UpdatedAt = 1, now, now
	return &m, tx.CreateMunicipality(ctx, &m)
}

func (s *Service) UpdateMunicipality(ctx context.Context, p *Principal, code string, version int64, in Municipality) (*Municipality, error) {
	return inTx(ctx, s, p, func(tx Tx) (*Municipality, error) { return s.updateMunicipality(ctx, tx, p, code, version, in) })
}

func (s *Service) updateMunicipality(ctx context.Context, tx Tx, p *Principal, code string, version int64, in Municipality) (*Municipality, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	m, err := tx.Municipality(ctx, code)
	if err != nil {
		return nil, err
	}
	if err := checkVersion(m.Version, version); err != nil {
		return nil, err
	}
	if in.Code != code {
		return nil, &Error{Code: EInvalid, Message: "A municipality's code cannot change.",
			Fields: []FieldError{{Pointer: "/code", Detail: "must be " + code}}}
	}
	if err := checkPoliceAreaRef(ctx, tx, in.PoliceAreaID); err != nil {
		return nil, err
	}
	m.Name, m.County, m.PoliceAreaID = in.Name, in.County, in.PoliceAreaID
	m.UpdatedAt = s.now().UTC()
	return m, tx.UpdateMunicipality(ctx, m)
}

func checkPoliceAreaRef(ctx context.Context, r Reader, id string) error {
	if id == "" {
		return nil
	}
	var p Problems
	if _, err := r.PoliceArea(ctx, id); err != nil {
		if ErrorCode(err) != ENotFound {
			return err
		}
		p.AddUnprocessable("/policeAreaId", "no police area has the id %s", id)
	}
	return p.Err()
}

func (s *Service) PoliceArea(ctx context.Context, id string) (*PoliceArea, error) {
	return s.store.PoliceArea(ctx, id)
}

func (s *Service) ListPoliceAreas(ctx context.Context, f PoliceAreaFilter) (Page[PoliceArea], error) {
	pageLimit(&f.PageRequest)
	return s.store.ListPoliceAreas(ctx, f)
}

func (s *Service) CreatePoliceArea(ctx context.Context, p *Principal, pa PoliceArea) (*PoliceArea, error) {
	return inTx(ctx, s, p, func(tx Tx) (*PoliceArea, error) { return s.createPoliceArea(ctx, tx, p, pa) })
}

func (s *Service) createPoliceArea(ctx context.Context, tx Tx, p *Principal, pa PoliceArea) (*PoliceArea, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	if _, err := tx.PoliceArea(ctx, pa.ID); err == nil {
		return nil, Errorf(EConflict, "A police area with the id %s already exists.", pa.ID)
	}
	now := s.now().UTC()
	pa.Version, pa.CreatedAt, pa.UpdatedAt = 1, now, now
	return &pa, tx.CreatePoliceArea(ctx, &pa)
}

func (s *Service) UpdatePoliceArea(ctx context.Context, p *Principal, id string, version int64, in PoliceArea) (*PoliceArea, error) {
	return inTx(ctx, s, p, func(tx Tx) (*PoliceArea, error) { return s.updatePoliceArea(ctx, tx, p, id, version, in) })
}

func (s *Service) updatePoliceArea(ctx context.Context, tx Tx, p *Principal, id string, version int64, in PoliceArea) (*PoliceArea, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	pa, err := tx.PoliceArea(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := checkVersion(pa.Version, version); err != nil {
		return nil, err
	}
	if in.ID != id {
		return nil, &Error{Code: EInvalid, Message: "A police area's id cannot change.",
			Fields: []FieldError{{Pointer: "/id", Detail: "must be " + id}}}
	}
	pa.Name, pa.PoliceRegion = in.Name, in.PoliceRegion
	pa.UpdatedAt = s.now().UTC()
	return pa, tx.UpdatePoliceArea(ctx, pa)
}
