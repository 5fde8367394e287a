package samverkan

import (
	"time"

	"github.com/google/uuid"
)

type ActivityStatus string

const (
	ActivityPlanned   ActivityStatus = "planned"
	ActivityOngoing   ActivityStatus = "ongoing"
	ActivityCompleted ActivityStatus = "completed"
	ActivityPostponed ActivityStatus = "postponed"
	ActivityCancelled ActivityStatus = "cancelled"
)

type ResponsibleParty string

const (
	ResponsiblePolice       ResponsibleParty = "police"
	ResponsibleMunicipality ResponsibleParty = "municipality"
	ResponsibleJoint        ResponsibleParty = "joint"
)

type Recurrence string

// Activity is one line of an agreement's action plan (AgreementID set) or of a promise
// period's activity list (PromisePeriodID set); never both.
type Activity struct {
	ID               uuid.UUID
	AgreementID      *uuid.UUID
	PromisePeriodID  *uuid.UUID
	Parties          Parties // derived from its list, kept for filtering and authorization
	Public           bool    // derived: its list is public (an agreement not in draft, a published period)
	Description      string
	Position         int
	PriorityAreaIDs  []uuid.UUID // many-to-many: the same activity can serve two areas
	PromiseIDs       []uuid.UUID
	ResponsibleParty ResponsibleParty
	Partners         []string
	Method           string // a named method such as Linköpingsmodellen or Grannsamverkan
	Recurrence       Recurrence
	StartsOn         *time.Time
	EndsOn           *time.Time
	Status           ActivityStatus
	ExternalRef      string
	Version          int64
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (a *Activity) Validate() error {
	var p Problems
	if (a.AgreementID == nil) == (a.PromisePeriodID == nil) {
		p.Add("/agreementId", "exactly one of agreementId and promisePeriodId must be given")
	}
	if a.StartsOn != nil && a.EndsOn != nil && a.EndsOn.Before(*a.StartsOn) {
		p.Add("/endsOn", "must not be before startsOn")
	}
	return p.Err()
}
