package samverkan

import (
	"time"

	"github.com/google/uuid"
)

// PromisePeriod holds the citizen promises (medborgarlöften) of a municipality and its police
// area for one or two years, and through Activity its activity list.
type PromisePeriod struct {
	ID uuid.UUID `json:"id"`
	Parties
	AgreementID *uuid.UUID        `json:"agreementId,omitempty"` // the agreement the promises implement
	Title       string            `json:"title"`
	StartYear   int               `json:"startYear"`
	EndYear     int               `json:"endYear"`
	Summary     string            `json:"summary,omitempty"`
	SignedOn    *time.Time        `json:"signedOn,omitempty"`
	Signatories []Signatory       `json:"signatories"`
	Promises    []Promise         `json:"promises"` // ordered; Position is 1-based
	Documents   []Document        `json:"documents"`
	ExternalRef string            `json:"externalRef,omitempty"`
	Status      PublicationStatus `json:"status"`
	PublishedAt *time.Time        `json:"publishedAt,omitempty"`
	Version     int64             `json:"version"`
	CreatedAt   time.Time         `json:"createdAt"`
	UpdatedAt   time.Time         `json:"updatedAt"`
}

// Promise is one citizen promise of a period.
type Promise struct {
	ID          uuid.UUID `json:"id"`
	Position    int       `json:"position"`
	Text        string    `json:"text"`
	ExternalRef string    `json:"externalRef,omitempty"`
}

// Covers reports whether the period includes the year of day.
func (pp *PromisePeriod) Covers(day time.Time) bool {
	y := Day(day).Year()
	return pp.StartYear <= y && y <= pp.EndYear
}

// InForce reports whether the period is published and covers day.
func (pp *PromisePeriod) InForce(day time.Time) bool {
	return pp.Status == Published && pp.Covers(day)
}

func (pp *PromisePeriod) Validate() error {
	var p Problems
	if pp.EndYear < pp.StartYear {
		p.Add("/endYear", "must not be before startYear (%d)", pp.StartYear)
	}
	if pp.EndYear-pp.StartYear > 4 {
		p.Add("/endYear", "a promise period covers at most five years")
	}
	seen := map[uuid.UUID]bool{}
	for i, pr := range pp.Promises {
		if pr.ID != uuid.Nil && seen[pr.ID] {
			p.Add(ptr("/promises", i, "id"), "the same promise is listed twice")
		}
		seen[pr.ID] = true
	}
	validateSignatories(&p, pp.Signatories)
	return p.Err()
}

// TransitionTo publishes or archives the period.
func (pp *PromisePeriod) TransitionTo(to PublicationStatus, now time.Time) error {
	allowed, ok := checkMove(publicationMoves, pp.Status, to)
	if !ok {
		return illegalMove("promise period", pp.Status, to, allowed)
	}
	if to == Published && len(pp.Promises) == 0 && len(pp.Documents) == 0 {
		return &Error{Code: EConflict, Message: "A promise period needs its promises or its document before it can be published.",
			Fields: []FieldError{{Pointer: "/promises", Detail: "is empty"}}}
	}
	pp.Status = to
	if to == Published {
		t := now.UTC()
		pp.PublishedAt = &t
	}
	return nil
}

// Promise returns the promise with id, if the period has one.
func (pp *PromisePeriod) Promise(id uuid.UUID) (Promise, bool) {
	for _, pr := range pp.Promises {
		if pr.ID == id {
			return pr, true
		}
	}
	return Promise{}, false
}
