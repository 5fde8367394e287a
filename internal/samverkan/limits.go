package samverkan

// The numbers of the domain's rules, each stated once: Validate checks them, the spreadsheet
// reader reports them by cell, and a test holds openapi.yaml to the same ones
// (internal/httpapi/limits_test.go).
const (
	// An activity.
	MaxActivityDescription = 5000 // characters
	MaxActivityMethod      = 200  // characters
	MaxActivityLinks       = 20   // priority areas, and promises, one activity serves
	MaxActivityPartners    = 30
	MaxShortText           = 500 // characters of a partner's name and other short texts

	// Dates: the years this material can concern, the same on both databases.
	FirstDateYear, LastDateYear = 1900, 2999
)

// The values of the activity's enumerations, in the contract's order.
var (
	ActivityStatuses   = []ActivityStatus{ActivityPlanned, ActivityOngoing, ActivityCompleted, ActivityPostponed, ActivityCancelled}
	ResponsibleParties = []ResponsibleParty{ResponsiblePolice, ResponsibleMunicipality, ResponsibleJoint}
	Recurrences        = []Recurrence{RecurrenceOnce, RecurrenceRecurring, RecurrenceYearly, RecurrenceAtEvents, RecurrenceContinuous}
)
