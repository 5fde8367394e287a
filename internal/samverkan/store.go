package samverkan

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Store persists the domain. Package store implements it on PostgreSQL and SQLite.
type Store interface {
	Reader
	// Tx runs fn in one transaction: everything fn writes through tx lands together or not at
	// all, and is recorded in history as done by the actor.
	Tx(ctx context.Context, by Actor, fn func(tx Tx) error) error
	// ReadTogether runs fn with reads that all come from one database, so that a later read
	// never sees less than an earlier one: with a read replica, reads that belong together
	// cannot come half from the primary and half from the replica.
	ReadTogether(ctx context.Context, fn func(r Reader) error) error
	Ping(ctx context.Context) error
	TokenStore
	IdempotencyStore
}

// Reader answers queries. Getters return an ENotFound *Error for unknown ids.
type Reader interface {
	Municipality(ctx context.Context, code string) (*Municipality, error)
	ListMunicipalities(ctx context.Context, f MunicipalityFilter) (Page[Municipality], error)
	PoliceArea(ctx context.Context, id string) (*PoliceArea, error)
	ListPoliceAreas(ctx context.Context, f PoliceAreaFilter) (Page[PoliceArea], error)
	Agreement(ctx context.Context, id uuid.UUID) (*Agreement, error)
	ListAgreements(ctx context.Context, f AgreementFilter) (Page[Agreement], error)
	PromisePeriod(ctx context.Context, id uuid.UUID) (*PromisePeriod, error)
	ListPromisePeriods(ctx context.Context, f PromisePeriodFilter) (Page[PromisePeriod], error)
	Activity(ctx context.Context, id uuid.UUID) (*Activity, error)
	ListActivities(ctx context.Context, f ActivityFilter) (Page[Activity], error)
	Forum(ctx context.Context, id uuid.UUID) (*Forum, error)
	ListForums(ctx context.Context, f ForumFilter) (Page[Forum], error)
	Meeting(ctx context.Context, id uuid.UUID) (*Meeting, error)
	ListMeetings(ctx context.Context, f MeetingFilter) (Page[Meeting], error)
	FollowUp(ctx context.Context, id uuid.UUID) (*FollowUp, error)
	ListFollowUps(ctx context.Context, f FollowUpFilter) (Page[FollowUp], error)
	// LatestPublicFollowUp is the newest published or archived follow-up of a promise period.
	LatestPublicFollowUp(ctx context.Context, promisePeriodID uuid.UUID) (*FollowUp, error)
	// ExternalRefs maps the importer's keys of one kind of record to their ids.
	ExternalRefs(ctx context.Context, kind RefKind, refs []string) (map[string]uuid.UUID, error)
	// DataVersion is the newest change: every write moves it, so it validates cached answers.
	DataVersion(ctx context.Context) (DataVersion, error)
	// CommittedVersion is the data version on the primary database, whatever a read replica
	// has seen; without a replica it is DataVersion.
	CommittedVersion(ctx context.Context) (DataVersion, error)
	// ListDeletions lists tombstones in the order they were written.
	ListDeletions(ctx context.Context, f DeletionFilter) (Page[Deletion], error)
	// ActivityStats counts activities by status, priority area and responsible party.
	ActivityStats(ctx context.Context, f StatsFilter) (*ActivityStats, error)
	HistoryReader
	WebhookReader
}

// HistoryReader reads the revisions every write records.
type HistoryReader interface {
	// ListEvents lists revisions newest first, page by page; with After set, it is the change
	// feed: the revisions after that sequence number, oldest first.
	ListEvents(ctx context.Context, f EventFilter) (Page[Event], error)
	// EventAt is the latest revision of a record committed at or before at; ENotFound if the
	// record had none by then.
	EventAt(ctx context.Context, kind, id string, at time.Time) (*Event, error)
	// ActivitiesAt is the latest revision, at or before at, of each activity that was in the
	// list (an agreement's action plan or a promise period's activity list) at that instant,
	// deletions left out.
	ActivitiesAt(ctx context.Context, listID uuid.UUID, at time.Time) ([]Event, error)
}

// WebhookReader reads webhooks and their deliveries.
type WebhookReader interface {
	Webhook(ctx context.Context, id uuid.UUID) (*Webhook, error)
	ListWebhooks(ctx context.Context, f WebhookFilter) (Page[Webhook], error)
	CountWebhooks(ctx context.Context, orgType OrgType, orgID string) (int, error)
	// Delivery is one delivery of a webhook with its attempts and its event.
	Delivery(ctx context.Context, webhookID, id uuid.UUID) (*Delivery, error)
	ListDeliveries(ctx context.Context, f DeliveryFilter) (Page[Delivery], error)
}

// Tx writes. Updates and deletes compare the version they are given with the stored one and
// return EPreconditionFailed when another write came first; a successful update increments it.
type Tx interface {
	Reader
	CreateMunicipality(ctx context.Context, m *Municipality) error
	UpdateMunicipality(ctx context.Context, m *Municipality) error
	CreatePoliceArea(ctx context.Context, pa *PoliceArea) error
	UpdatePoliceArea(ctx context.Context, pa *PoliceArea) error
	CreateAgreement(ctx context.Context, a *Agreement) error
	UpdateAgreement(ctx context.Context, a *Agreement) error
	// UpdateAgreementStatus writes a lifecycle step: the status and the timestamps only.
	UpdateAgreementStatus(ctx context.Context, a *Agreement) error
	DeleteAgreement(ctx context.Context, id uuid.UUID, version int64) error
	CreatePromisePeriod(ctx context.Context, pp *PromisePeriod) error
	UpdatePromisePeriod(ctx context.Context, pp *PromisePeriod) error
	// UpdatePromisePeriodStatus writes a lifecycle step: the status and the timestamps only.
	UpdatePromisePeriodStatus(ctx context.Context, pp *PromisePeriod) error
	DeletePromisePeriod(ctx context.Context, id uuid.UUID, version int64) error
	CreateActivity(ctx context.Context, a *Activity) error
	// LockList holds a list's parent until commit, ordering writes into the list with its
	// publication.
	LockList(ctx context.Context, agreementID, periodID *uuid.UUID) error
	// LockFollowUp holds a follow-up's row until commit, as LockList does an agreement's or a
	// promise period's: a change decided on what is read after it meets no concurrent one.
	LockFollowUp(ctx context.Context, id uuid.UUID) error
	// CreateActivities writes many new activities in batched statements.
	CreateActivities(ctx context.Context, acts []*Activity) error
	UpdateActivity(ctx context.Context, a *Activity) error
	// UpdateActivities writes many changed activities in batched statements, each at the
	// version it was read at, as UpdateActivity does one.
	UpdateActivities(ctx context.Context, acts []*Activity) error
	DeleteActivity(ctx context.Context, id uuid.UUID, version int64) error
	CreateForum(ctx context.Context, f *Forum) error
	UpdateForum(ctx context.Context, f *Forum) error
	DeleteForum(ctx context.Context, id uuid.UUID, version int64) error
	CreateMeeting(ctx context.Context, m *Meeting) error
	UpdateMeeting(ctx context.Context, m *Meeting) error
	DeleteMeeting(ctx context.Context, id uuid.UUID, version int64) error
	CreateFollowUp(ctx context.Context, f *FollowUp) error
	UpdateFollowUp(ctx context.Context, f *FollowUp) error
	// UpdateFollowUpStatus writes a lifecycle step: the status and the timestamps only.
	UpdateFollowUpStatus(ctx context.Context, f *FollowUp) error
	DeleteFollowUp(ctx context.Context, id uuid.UUID, version int64) error
	CreateWebhook(ctx context.Context, w *Webhook) error
	UpdateWebhook(ctx context.Context, w *Webhook) error
	DeleteWebhook(ctx context.Context, id uuid.UUID, version int64) error
	// PingWebhook records a ping of the webhook; its delivery, queued when the transaction
	// commits, gets the id returned.
	PingWebhook(ctx context.Context, w *Webhook) (uuid.UUID, error)
	// RetryDelivery queues a delivery again, due at once.
	RetryDelivery(ctx context.Context, webhookID, id uuid.UUID) error
	// Flush writes the revisions recorded so far, with the deliveries they queue, now rather
	// than at commit, so that the transaction can read them back before any worker sees them.
	Flush(ctx context.Context) error
}

// TokenStore keeps API tokens; only hashes of their secrets.
type TokenStore interface {
	CreateToken(ctx context.Context, t *Token) error
	TokenByHash(ctx context.Context, hash []byte) (*Token, error)
	ListTokens(ctx context.Context) ([]Token, error)
	RevokeToken(ctx context.Context, id string) error
}

// RefKind names a kind of record that carries an external reference.
type RefKind string

const (
	RefForum         RefKind = "forum"
	RefAgreement     RefKind = "agreement"
	RefPriorityArea  RefKind = "priority_area"
	RefPromisePeriod RefKind = "promise_period"
	RefPromise       RefKind = "promise"
	RefActivity      RefKind = "activity"
	RefFollowUp      RefKind = "follow_up"
)

// MaxPageSize is the largest page any list returns.
const MaxPageSize = 200

// DefaultPageSize is the page size when the caller names none.
const DefaultPageSize = 50

// PageRequest asks for one page of a list: Cursor is the opaque NextCursor of the page before.
type PageRequest struct {
	Limit  int
	Cursor string
	// Sort names one of the list's documented orders; empty is the list's natural order.
	Sort string
}

// Sort orders every synchronisable list offers besides its natural one.
const (
	SortUpdatedAsc  = "updatedAt"
	SortUpdatedDesc = "-updatedAt"
)

// SyncFilter narrows a list to what dashboards ask for across municipalities.
type SyncFilter struct {
	County       string
	UpdatedSince *time.Time // inclusive: items changed at or after this instant
}

// Page is one page of a list in its stable order.
type Page[T any] struct {
	Items      []T
	NextCursor string // empty on the last page
}

// DraftScope says which drafts a list may include: none, those of one organization, or all.
type DraftScope struct {
	All     bool
	OrgType OrgType
	OrgID   string
}

func draftScopeOf(p *Principal) DraftScope {
	switch {
	case p == nil:
		return DraftScope{}
	case p.Role == RoleAdmin:
		return DraftScope{All: true}
	}
	return DraftScope{OrgType: p.OrgType, OrgID: p.OrgID}
}

type MunicipalityFilter struct {
	PageRequest
	PoliceAreaID string
	County       string
	UpdatedSince *time.Time
}

type PoliceAreaFilter struct {
	PageRequest
	UpdatedSince *time.Time
}

type AgreementFilter struct {
	PageRequest
	SyncFilter
	Drafts           DraftScope
	MunicipalityCode string
	PoliceAreaID     string
	Status           AgreementStatus
	Year             int
	Phase            Phase
	Today            time.Time // the day Phase is judged on
}

type PromisePeriodFilter struct {
	PageRequest
	SyncFilter
	Drafts           DraftScope
	MunicipalityCode string
	PoliceAreaID     string
	AgreementID      *uuid.UUID
	Status           PublicationStatus
	Year             int
}

type ActivityFilter struct {
	PageRequest
	SyncFilter
	Drafts           DraftScope
	MunicipalityCode string
	PoliceAreaID     string
	AgreementID      *uuid.UUID
	PromisePeriodID  *uuid.UUID
	PriorityAreaID   *uuid.UUID
	Status           ActivityStatus
	ResponsibleParty ResponsibleParty
	Year             int // activities of promise periods covering the year and agreements valid in it
}

type ForumFilter struct {
	PageRequest
	SyncFilter
	MunicipalityCode string
	PoliceAreaID     string
	Code             string
}

type MeetingFilter struct {
	PageRequest
	ForumID      uuid.UUID
	Year         int
	UpdatedSince *time.Time
}

type FollowUpFilter struct {
	PageRequest
	SyncFilter
	Drafts           DraftScope
	MunicipalityCode string
	PoliceAreaID     string
	PromisePeriodID  *uuid.UUID
	AgreementID      *uuid.UUID
	Kind             FollowUpKind
	Status           PublicationStatus
	Year             int
}

// DataVersion identifies the state of all stored data: Seq grows with every committed write,
// in commit order; Epoch tells one database from another (a restored or re-created one).
type DataVersion struct {
	Seq   int64
	At    time.Time
	Epoch string
}

// Deletion is a tombstone: a record that existed and was deleted.
type Deletion struct {
	Kind             string
	ID               string
	MunicipalityCode string
	DeletedAt        time.Time
	Seq              int64
}

type DeletionFilter struct {
	PageRequest
	Since      *time.Time
	Kind       string
	PublicOnly bool // only records that were public when deleted
}

// EventFilter selects revisions: of one record, for the audit trail, or for the change feed.
type EventFilter struct {
	PageRequest
	After            *int64     // the change feed: revisions after this sequence number, oldest first
	Scope            DraftScope // which revisions of material that was not public the caller may see
	Kind             string
	EntityID         string
	MunicipalityCode string
	ExcludeKind      string
	ActorOrgType     OrgType
	ActorOrgID       string
	ActorTokenID     string
	Op               Op
	Since            *time.Time // inclusive
	Until            *time.Time // exclusive
}

type WebhookFilter struct {
	PageRequest
	All     bool // every organization's (admins)
	OrgType OrgType
	OrgID   string
}

type DeliveryFilter struct {
	PageRequest
	WebhookID uuid.UUID
	State     DeliveryState
}

// StatsFilter selects the activities that aggregates count.
type StatsFilter struct {
	Drafts           DraftScope
	MunicipalityCode string
	County           string
	PoliceAreaID     string
	PromisePeriodID  *uuid.UUID
	AgreementID      *uuid.UUID
	Year             int // activities of promise periods covering the year and agreements valid in it
}

// ActivityStats are counts computed by the database.
type ActivityStats struct {
	Total              int
	ByStatus           map[ActivityStatus]int
	ByResponsibleParty map[ResponsibleParty]int // "" counts activities with none named
	ByPriorityArea     []PriorityAreaCount      // in agreement and position order
	WithoutArea        int
}

type PriorityAreaCount struct {
	PriorityAreaID uuid.UUID
	AgreementID    uuid.UUID
	Title          string
	Count          int
}
