package samverkan

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Service carries out every use case of the API: it authorizes, checks versions and
// references, applies lifecycle rules and writes through one transaction per call.
type Service struct {
	store              Store
	now                func() time.Time
	allowLocalWebhooks bool
}

func NewService(s Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	// Timestamps are kept to the microsecond, as PostgreSQL keeps them, so that a record's
	// history holds exactly what a read of it returns.
	return &Service{store: s, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// Now is the service's clock; "in force" and publication times use it.
func (s *Service) Now() time.Time { return s.now() }

// Ready reports whether the database answers.
func (s *Service) Ready(ctx context.Context) error { return s.store.Ping(ctx) }

// inTx runs one use case in its own transaction. The use cases themselves take a Tx, so that
// an import can run many of them in a single transaction.
func inTx[T any](ctx context.Context, s *Service, p *Principal, fn func(tx Tx) (T, error)) (T, error) {
	var out T
	err := s.store.Tx(ctx, p.Actor(), func(tx Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

func newID() uuid.UUID {
	// Version 7 ids sort by creation time, which gives lists a stable, index-friendly order.
	return uuid.Must(uuid.NewV7())
}

// checkVersion implements If-Match: the caller's version must be the stored one, unless the
// caller said any version will do (If-Match: *).
func checkVersion(stored, given int64) error {
	if given != stored && given != AnyVersion {
		return Errorf(EPreconditionFailed, "The resource has changed since version %d; it is now at version %d. Read it again and reapply the change.", given, stored)
	}
	return nil
}

// AnyVersion stands for If-Match: * and for transitions sent without If-Match.
//
// A change at any version checks none, so it must not fail because another request changed
// the record first: for agreements, promise periods and follow-ups, the records with a
// lifecycle, the …ForChange steps lock the record's row before they read it, and the change
// is decided (by the lifecycle, for a transition) on the state read under the lock, which is
// the state its write is applied to. Other records (activities, forums, meetings, webhooks,
// municipalities, police areas) read unlocked, so a PUT with If-Match: * that loses a race
// is still told it did (EPreconditionFailed). A change at a given version keeps the
// optimistic check everywhere: it fails with EPreconditionFailed once another write came first.
const AnyVersion int64 = -1

func pageLimit(r *PageRequest) {
	if r.Limit <= 0 {
		r.Limit = DefaultPageSize
	}
	if r.Limit > MaxPageSize {
		r.Limit = MaxPageSize
	}
}

// checkParties verifies that the municipality and police area exist, pointing at the fields.
func checkParties(ctx context.Context, r Reader, p *Problems, parties Parties) error {
	m, err := r.Municipality(ctx, parties.MunicipalityCode)
	switch {
	case ErrorCode(err) == ENotFound:
		p.AddUnprocessable("/municipalityCode", "no municipality has the code %s", parties.MunicipalityCode)
	case err != nil:
		return err
	case m.PoliceAreaID != "" && parties.PoliceAreaID != "" && m.PoliceAreaID != parties.PoliceAreaID:
		// The cooperation is between a municipality and the police area that serves it.
		p.AddUnprocessable("/policeAreaId", "municipality %s is served by police area %s", m.Code, m.PoliceAreaID)
	}
	if parties.PoliceAreaID == "" {
		return nil
	}
	if _, err := r.PoliceArea(ctx, parties.PoliceAreaID); err != nil {
		if ErrorCode(err) != ENotFound {
			return err
		}
		p.AddUnprocessable("/policeAreaId", "no police area has the id %s", parties.PoliceAreaID)
	}
	return nil
}

func partiesUnchanged(stored, given Parties) error {
	var fields []FieldError
	if stored.MunicipalityCode != given.MunicipalityCode {
		fields = append(fields, FieldError{Pointer: "/municipalityCode", Detail: "must stay " + stored.MunicipalityCode})
	}
	if stored.PoliceAreaID != given.PoliceAreaID {
		fields = append(fields, FieldError{Pointer: "/policeAreaId", Detail: "must stay " + orNone(stored.PoliceAreaID)})
	}
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: EConflict, Message: "The parties of existing material cannot change; create new material for other parties.", Fields: fields}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// keepRef keeps the importer's key of a record when a write does not name one: a PUT built
// without externalRef must not cut the record off from the file it came from.
func keepRef(given *string, stored string) {
	if *given == "" {
		*given = stored
	}
}

// publicRefs keeps public material from pointing at drafts: a published promise period's
// agreement, and a published follow-up's subject, must be public too, or a public answer
// would carry a draft's content (its priority areas, its title).
func publicRefs(ctx context.Context, r Reader, public bool, agreementID, periodID *uuid.UUID) error {
	if !public {
		return nil
	}
	if agreementID != nil {
		a, err := r.Agreement(ctx, *agreementID)
		if err != nil {
			return err
		}
		if !a.IsPublic() {
			return &Error{Code: EConflict, Message: "Public material cannot refer to a draft agreement; sign the agreement first.",
				Fields: []FieldError{{Pointer: "/agreementId", Detail: "is a draft"}}}
		}
	}
	if periodID != nil {
		pp, err := r.PromisePeriod(ctx, *periodID)
		if err != nil {
			return err
		}
		if !pp.Status.IsPublic() {
			return &Error{Code: EConflict, Message: "A follow-up cannot be public while its promise period is a draft; publish the period first.",
				Fields: []FieldError{{Pointer: "/promisePeriodId", Detail: "is a draft"}}}
		}
	}
	return nil
}
