package store

import (
	"time"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// Rows mirror the tables of the migrations. They are storage details: the repository converts
// them to domain types at its edge (convert.go) and nothing else sees them.

type policeAreaRow struct {
	ID           string `gorm:"primaryKey"`
	Name         string
	PoliceRegion string
	Version      int64
	CreatedAt    time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt    time.Time `gorm:"autoUpdateTime:false"`
}

func (policeAreaRow) TableName() string { return "police_areas" }

type municipalityRow struct {
	Code         string `gorm:"primaryKey"`
	Name         string
	County       string
	PoliceAreaID *string
	Version      int64
	CreatedAt    time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt    time.Time `gorm:"autoUpdateTime:false"`
}

func (municipalityRow) TableName() string { return "municipalities" }

type forumRow struct {
	ID               uuid.UUID `gorm:"primaryKey"`
	MunicipalityCode string
	PoliceAreaID     *string
	Code             string
	Name             string
	Level            string
	Scope            string
	Description      string
	Participants     listCol[string]
	Cadence          string
	ExternalRef      *string
	Version          int64
	CreatedAt        time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt        time.Time `gorm:"autoUpdateTime:false"`
}

func (forumRow) TableName() string { return "forums" }

type meetingRow struct {
	ID        uuid.UUID `gorm:"primaryKey"`
	ForumID   uuid.UUID
	HeldOn    date
	Title     string
	Summary   string
	Version   int64
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"`
}

func (meetingRow) TableName() string { return "meetings" }

type agreementRow struct {
	ID               uuid.UUID `gorm:"primaryKey"`
	MunicipalityCode string
	PoliceAreaID     string
	Title            string
	ValidFrom        date
	ValidTo          date
	Purpose          string
	Goal             string
	CooperationModel string
	DataSources      listCol[string]
	Signatories      listCol[samverkan.Signatory]
	SignedPlace      string
	SignedOn         date
	Adoption         jsonCol[*samverkan.Adoption]
	Documents        listCol[samverkan.Document]
	ReplacesID       *uuid.UUID
	ExternalRef      *string
	Status           string
	Version          int64
	CreatedAt        time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt        time.Time `gorm:"autoUpdateTime:false"`
}

func (agreementRow) TableName() string { return "agreements" }

type agreementForumRow struct {
	AgreementID uuid.UUID `gorm:"primaryKey"`
	ForumID     uuid.UUID `gorm:"primaryKey"`
	Position    int
}

func (agreementForumRow) TableName() string { return "agreement_forums" }

type priorityAreaRow struct {
	ID          uuid.UUID `gorm:"primaryKey"`
	AgreementID uuid.UUID
	Position    int
	Title       string
	Description string
	ExternalRef *string
}

func (priorityAreaRow) TableName() string { return "priority_areas" }

type promisePeriodRow struct {
	ID               uuid.UUID `gorm:"primaryKey"`
	MunicipalityCode string
	PoliceAreaID     string
	AgreementID      *uuid.UUID
	Title            string
	StartYear        int
	EndYear          int
	Summary          string
	SignedOn         date
	Signatories      listCol[samverkan.Signatory]
	Documents        listCol[samverkan.Document]
	ExternalRef      *string
	Status           string
	PublishedAt      *time.Time
	Version          int64
	CreatedAt        time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt        time.Time `gorm:"autoUpdateTime:false"`
}

func (promisePeriodRow) TableName() string { return "promise_periods" }

type promiseRow struct {
	ID              uuid.UUID `gorm:"primaryKey"`
	PromisePeriodID uuid.UUID
	Position        int
	Text            string
	ExternalRef     *string
}

func (promiseRow) TableName() string { return "promises" }

type activityRow struct {
	ID               uuid.UUID `gorm:"primaryKey"`
	AgreementID      *uuid.UUID
	PromisePeriodID  *uuid.UUID
	ListID           uuid.UUID
	MunicipalityCode string
	PoliceAreaID     string
	Public           bool
	Description      string
	Position         int
	ResponsibleParty string
	Partners         listCol[string]
	Method           string
	Recurrence       string
	StartsOn         date
	EndsOn           date
	Status           string
	ExternalRef      *string
	Version          int64
	CreatedAt        time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt        time.Time `gorm:"autoUpdateTime:false"`
}

func (activityRow) TableName() string { return "activities" }

type activityAreaRow struct {
	ActivityID     uuid.UUID `gorm:"primaryKey"`
	PriorityAreaID uuid.UUID `gorm:"primaryKey"`
}

func (activityAreaRow) TableName() string { return "activity_priority_areas" }

type activityPromiseRow struct {
	ActivityID uuid.UUID `gorm:"primaryKey"`
	PromiseID  uuid.UUID `gorm:"primaryKey"`
}

func (activityPromiseRow) TableName() string { return "activity_promises" }

type followUpRow struct {
	ID                 uuid.UUID `gorm:"primaryKey"`
	PromisePeriodID    *uuid.UUID
	AgreementID        *uuid.UUID
	MunicipalityCode   string
	PoliceAreaID       string
	Kind               string
	Title              string
	ReportedOn         date
	MeetingID          *uuid.UUID
	CoversFrom         date
	CoversTo           date
	Summary            string
	PromiseAssessments listCol[samverkan.PromiseAssessment]
	ActivityStatuses   listCol[samverkan.ActivityStatusReport]
	Documents          listCol[samverkan.Document]
	ExternalRef        *string
	Status             string
	PublishedAt        *time.Time
	Version            int64
	CreatedAt          time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt          time.Time `gorm:"autoUpdateTime:false"`
}

func (followUpRow) TableName() string { return "follow_ups" }

type tokenRow struct {
	ID        string `gorm:"primaryKey"`
	Name      string
	Role      string
	OrgType   string
	OrgID     string
	Hash      []byte
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
	RevokedAt *time.Time
}

func (tokenRow) TableName() string { return "tokens" }
