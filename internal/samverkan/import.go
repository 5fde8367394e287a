package samverkan

// ImportDocument is a set of records matched by the importer's own keys (refs). The records
// carry their refs in ExternalRef; references between them are refs too.
type ImportDocument struct {
	PoliceAreas    []PoliceArea
	Municipalities []Municipality
	Forums         []Forum
	Agreements     []ImportAgreement
	PromisePeriods []ImportPromisePeriod
	FollowUps      []ImportFollowUp
}

type ImportAgreement struct {
	Agreement   Agreement // priority areas carry their refs in ExternalRef
	ForumRefs   []string
	ReplacesRef string
	Status      AgreementStatus // empty: draft
	ActionPlan  []ImportActivity
}

type ImportActivity struct {
	Activity         Activity
	PriorityAreaRefs []string
	PromiseRefs      []string
}

type ImportPromisePeriod struct {
	PromisePeriod PromisePeriod // promises carry their refs in ExternalRef
	AgreementRef  string
	Status        PublicationStatus
	Activities    []ImportActivity
}

type ImportFollowUp struct {
	FollowUp         FollowUp
	PromisePeriodRef string
	AgreementRef     string
	Status           PublicationStatus
	Assessments      []ImportAssessment
	ActivityStatuses []ImportActivityStatus
}

type ImportAssessment struct {
	PromiseRef string
	Assessment string
	Comment    string
}

type ImportActivityStatus struct {
	ActivityRef string
	Status      ActivityStatus
	Comment     string
}

// ImportAction says what an import did, or in a dry run would do, with one record.
type ImportAction string

const (
	ImportCreated   ImportAction = "created"
	ImportUpdated   ImportAction = "updated"
	ImportUnchanged ImportAction = "unchanged"
)

type ImportItem struct {
	Kind   string
	Ref    string
	ID     string
	Action ImportAction
}

type ImportReport struct {
	DryRun                      bool
	Created, Updated, Unchanged int
	Items                       []ImportItem
}

func (r *ImportReport) add(kind, ref, id string, a ImportAction) {
	r.Items = append(r.Items, ImportItem{Kind: kind, Ref: ref, ID: id, Action: a})
	switch a {
	case ImportCreated:
		r.Created++
	case ImportUpdated:
		r.Updated++
	default:
		r.Unchanged++
	}
}
