package samverkan

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

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

const (
	RecurrenceOnce       Recurrence = "once"
	RecurrenceRecurring  Recurrence = "recurring" // regularly
	RecurrenceYearly     Recurrence = "yearly"
	RecurrenceAtEvents   Recurrence = "at_events" // events, holidays and other prioritized dates
	RecurrenceContinuous Recurrence = "continuous"
)

// Activity is one line of an agreement's action plan (AgreementID set) or of a promise
// period's activity list (PromisePeriodID set); never both.
type Activity struct {
	ID               uuid.UUID        `json:"id"`
	AgreementID      *uuid.UUID       `json:"agreementId,omitempty"`
	PromisePeriodID  *uuid.UUID       `json:"promisePeriodId,omitempty"`
	Parties          Parties          `json:"-"` // derived from its list, kept for filtering and authorization
	Public           bool             `json:"-"` // derived: its list is public (an agreement not in draft, a published period)
	Description      string           `json:"description"`
	Position         int              `json:"position"`
	PriorityAreaIDs  []uuid.UUID      `json:"priorityAreaIds"` // many-to-many: the same activity can serve two areas
	PromiseIDs       []uuid.UUID      `json:"promiseIds"`
	ResponsibleParty ResponsibleParty `json:"responsibleParty,omitempty"`
	Partners         []string         `json:"partners"`
	Method           string           `json:"method,omitempty"` // a named method such as Linköpingsmodellen or Grannsamverkan
	Recurrence       Recurrence       `json:"recurrence,omitempty"`
	StartsOn         *time.Time       `json:"startsOn,omitempty"`
	EndsOn           *time.Time       `json:"endsOn,omitempty"`
	Status           ActivityStatus   `json:"status"`
	ExternalRef      string           `json:"externalRef,omitempty"`
	Version          int64            `json:"version"`
	CreatedAt        time.Time        `json:"createdAt"`
	UpdatedAt        time.Time        `json:"updatedAt"`
}

func (a *Activity) Validate() error {
	var p Problems
	if (a.AgreementID == nil) == (a.PromisePeriodID == nil) {
		p.Add("/agreementId", "exactly one of agreementId and promisePeriodId must be given")
	}
	switch n := utf8.RuneCountInString(a.Description); {
	case strings.TrimSpace(a.Description) == "":
		p.Add("/description", "is required")
	case n > MaxActivityDescription:
		p.Add("/description", "is %d characters long, more than %d", n, MaxActivityDescription)
	}
	if n := utf8.RuneCountInString(a.Method); n > MaxActivityMethod {
		p.Add("/method", "is %d characters long, more than %d", n, MaxActivityMethod)
	}
	if len(a.PriorityAreaIDs) > MaxActivityLinks {
		p.Add("/priorityAreaIds", "names more than %d priority areas", MaxActivityLinks)
	}
	if len(a.PromiseIDs) > MaxActivityLinks {
		p.Add("/promiseIds", "names more than %d promises", MaxActivityLinks)
	}
	if len(a.Partners) > MaxActivityPartners {
		p.Add("/partners", "names more than %d partners", MaxActivityPartners)
	}
	for i, partner := range a.Partners {
		if n := utf8.RuneCountInString(partner); strings.TrimSpace(partner) == "" || n > MaxShortText {
			p.Add(ptr("/partners", i, ""), "must be a name of 1 to %d characters", MaxShortText)
		}
	}
	if a.ResponsibleParty != "" && !slices.Contains(ResponsibleParties, a.ResponsibleParty) {
		p.Add("/responsibleParty", "must be one of %v", ResponsibleParties)
	}
	if a.Recurrence != "" && !slices.Contains(Recurrences, a.Recurrence) {
		p.Add("/recurrence", "must be one of %v", Recurrences)
	}
	if a.Status != "" && !slices.Contains(ActivityStatuses, a.Status) {
		p.Add("/status", "must be one of %v", ActivityStatuses)
	}
	if a.StartsOn != nil && a.EndsOn != nil && a.EndsOn.Before(*a.StartsOn) {
		p.Add("/endsOn", "must not be before startsOn")
	}
	return p.Err()
}
