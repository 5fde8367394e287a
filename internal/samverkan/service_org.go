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
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	err := s.store.Tx(ctx, func(tx Tx) error {
		if err := checkPoliceAreaRef(ctx, tx, m.PoliceAreaID); err != nil {
			return err
		}
		if _, err := tx.Municipality(ctx, m.Code); err == nil {
			return Errorf(EConflict, "A municipality with the code %s already exists.", m.Code)
		}
		now := s.now().UTC()
		m.Version, m.CreatedAt, m.UpdatedAt = 1, now, now
		return tx.CreateMunicipality(ctx, &m)
	})
	return &m, err
}

func (s *Service) UpdateMunicipality(ctx context.Context, p *Principal, code string, version int64, in Municipality) (*Municipality, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	var out *Municipality
	err := s.store.Tx(ctx, func(tx Tx) error {
		m, err := tx.Municipality(ctx, code)
		if err != nil {
			return err
		}
		if err := checkVersion(m.Version, version); err != nil {
			return err
		}
		if in.Code != code {
			return &Error{Code: EInvalid, Message: "A municipality's code cannot change.",
				Fields: []FieldError{{Pointer: "/code", Detail: "must be " + code}}}
		}
		if err := checkPoliceAreaRef(ctx, tx, in.PoliceAreaID); err != nil {
			return err
		}
		m.Name, m.County, m.PoliceAreaID = in.Name, in.County, in.PoliceAreaID
		m.UpdatedAt = s.now().UTC()
		if err := tx.UpdateMunicipality(ctx, m); err != nil {
			return err
		}
		out = m
		return nil
	})
	return out, err
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

func (s *Service) ListPoliceAreas(ctx context.Context, f PageRequest) (Page[PoliceArea], error) {
	pageLimit(&f)
	return s.store.ListPoliceAreas(ctx, f)
}

func (s *Service) CreatePoliceArea(ctx context.Context, p *Principal, pa PoliceArea) (*PoliceArea, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	err := s.store.Tx(ctx, func(tx Tx) error {
		if _, err := tx.PoliceArea(ctx, pa.ID); err == nil {
			return Errorf(EConflict, "A police area with the id %s already exists.", pa.ID)
		}
		now := s.now().UTC()
		pa.Version, pa.CreatedAt, pa.UpdatedAt = 1, now, now
		return tx.CreatePoliceArea(ctx, &pa)
	})
	return &pa, err
}

func (s *Service) UpdatePoliceArea(ctx context.Context, p *Principal, id string, version int64, in PoliceArea) (*PoliceArea, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	var out *PoliceArea
	err := s.store.Tx(ctx, func(tx Tx) error {
		pa, err := tx.PoliceArea(ctx, id)
		if err != nil {
			return err
		}
		if err := checkVersion(pa.Version, version); err != nil {
			return err
		}
		if in.ID != id {
			return &Error{Code: EInvalid, Message: "A police area's id cannot change.",
				Fields: []FieldError{{Pointer: "/id", Detail: "must be " + id}}}
		}
		pa.Name, pa.PoliceRegion = in.Name, in.PoliceRegion
		pa.UpdatedAt = s.now().UTC()
		if err := tx.UpdatePoliceArea(ctx, pa); err != nil {
			return err
		}
		out = pa
		return nil
	})
	return out, err
}
