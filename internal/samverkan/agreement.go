package samverkan

import (
	"time"

	"github.com/google/uuid"
)

// Agreement is a cooperation agreement (samverkansöverenskommelse) between a municipality and
// its local police area, valid for a few years, with an ordered list of priority areas and an
// action plan (activities whose AgreementID is this agreement).
type Agreement struct {
	ID uuid.UUID `json:"id"`
	Parties
	Title            string          `json:"title"`
	ValidFrom        time.Time       `json:"validFrom"`
	ValidTo          time.Time       `json:"validTo"`
	Purpose          string          `json:"purpose,omitempty"`
	Goal             string          `json:"goal,omitempty"`
	CooperationModel string          `json:"cooperationModel,omitempty"`
	PriorityAreas    []PriorityArea  `json:"priorityAreas"` // ordered; Position is 1-based
	ForumIDs         []uuid.UUID     `json:"forumIds"`
	DataSources      []string        `json:"dataSources"`
	Signatories      []Signatory     `json:"signatories"`
	SignedPlace      string          `json:"signedPlace,omitempty"`
	SignedOn         *time.Time      `json:"signedOn,omitempty"`
	Adoption         *Adoption       `json:"adoption,omitempty"`
	Documents        []Document      `json:"documents"`
	ReplacesID       *uuid.UUID      `json:"replacesAgreementId,omitempty"`
	ExternalRef      string          `json:"externalRef,omitempty"`
	Status           AgreementStatus `json:"status"`
	Version          int64           `json:"version"`
	CreatedAt        time.Time       `json:"createdAt"`
	UpdatedAt        time.Time       `json:"updatedAt"`
}

// PriorityArea (prioriterat område, fokusområde) belongs to one agreement; promises and
// activities refer to one or more of them.
type PriorityArea struct {
	ID          uuid.UUID `json:"id"`
	Position    int       `json:"position"`
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	ExternalRef string    `json:"externalRef,omitempty"`
}

// Adoption is the formal decision that adopts an agreement, e.g. by the municipal council.
type Adoption struct {
	Body      string    `json:"body"`
	DecidedOn time.Time `json:"decidedOn"`
	Reference string    `json:"reference,omitempty"`
}

// Phase tells where the agreement stands on day: status first, then its validity dates.
func (a *Agreement) Phase(day time.Time) Phase {
	switch a.Status {
	case AgreementDraft:
		return PhaseDraft
	case AgreementSuperseded:
		return PhaseSuperseded
	}
	day = Day(day)
	switch {
	case day.After(a.ValidTo):
		return PhaseExpired
	case !day.Before(a.ValidFrom):
		return PhaseInForce
	case a.Status == AgreementAdopted:
		return PhaseAdopted
	}
	return PhaseSigned
}

// InForce reports whether the agreement binds the parties on day.
func (a *Agreement) InForce(day time.Time) bool { return a.Phase(day) == PhaseInForce }

// IsPublic reports whether anonymous callers may read it: anything but a draft.
func (a *Agreement) IsPublic() bool { return a.Status != AgreementDraft }

// Validate checks the rules that hold in every state.
func (a *Agreement) Validate() error {
	var p Problems
	if a.ValidTo.Before(a.ValidFrom) {
		p.Add("/validTo", "must not be before validFrom (%s)", a.ValidFrom.Format(time.DateOnly))
	}
	if a.ReplacesID != nil && *a.ReplacesID == a.ID {
		p.Add("/replacesAgreementId", "an agreement cannot replace itself")
	}
	seen := map[uuid.UUID]bool{}
	for i, pa := range a.PriorityAreas {
		if pa.ID != uuid.Nil && seen[pa.ID] {
			p.Add(ptr("/priorityAreas", i, "id"), "the same priority area is listed twice")
		}
		seen[pa.ID] = true
	}
	validateSignatories(&p, a.Signatories)
	return p.Err()
}

// TransitionTo moves the agreement to status, refusing moves the lifecycle does not allow and
// moves whose preconditions (signatories, adoption decision) are missing.
func (a *Agreement) TransitionTo(to AgreementStatus, now time.Time) error {
	allowed, ok := checkMove(agreementMoves, a.Status, to)
	if !ok {
		return illegalMove("agreement", a.Status, to, allowed)
	}
	var p Problems
	switch to {
	case AgreementSigned:
		if a.SignedOn == nil {
			p.Add("/signedOn", "an agreement needs its signing date before it can be signed")
		}
		if len(a.Signatories) == 0 {
			p.Add("/signatories", "an agreement needs at least one signatory before it can be signed")
		}
	case AgreementAdopted:
		if a.Adoption == nil {
			p.Add("/adoption", "an agreement needs the adoption decision before it can be adopted")
		}
	}
	if err := p.Err(); err != nil {
		e := err.(*Error)
		e.Code = EConflict
		e.Message = "The agreement cannot become " + string(to) + " yet."
		return e
	}
	a.Status = to
	return nil
}

// PriorityArea returns the area with id, if the agreement has one.
func (a *Agreement) PriorityArea(id uuid.UUID) (PriorityArea, bool) {
	for _, pa := range a.PriorityAreas {
		if pa.ID == id {
			return pa, true
		}
	}
	return PriorityArea{}, false
}
