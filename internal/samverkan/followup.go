package samverkan

import (
	"time"

	"github.com/google/uuid"
)

type FollowUpKind string

const (
	KindFollowUp      FollowUpKind = "follow_up"
	KindYearlySummary FollowUpKind = "yearly_summary"
)

// FollowUp is a follow-up report (uppföljning) of a promise period or an agreement, usually
// done at a central BRÅ meeting; a yearly summary is a follow-up covering a whole year.
type FollowUp struct {
	ID                 uuid.UUID              `json:"id"`
	PromisePeriodID    *uuid.UUID             `json:"promisePeriodId,omitempty"`
	AgreementID        *uuid.UUID             `json:"agreementId,omitempty"`
	Parties            Parties                `json:"-"` // the subject's parties, copied onto the report for filtering
	Kind               FollowUpKind           `json:"kind"`
	Title              string                 `json:"title"`
	ReportedOn         *time.Time             `json:"reportedOn,omitempty"`
	MeetingID          *uuid.UUID             `json:"meetingId,omitempty"`
	CoversFrom         *time.Time             `json:"coversFrom,omitempty"`
	CoversTo           *time.Time             `json:"coversTo,omitempty"`
	Summary            string                 `json:"summary,omitempty"`
	PromiseAssessments []PromiseAssessment    `json:"promiseAssessments"`
	ActivityStatuses   []ActivityStatusReport `json:"activityStatuses"`
	Documents          []Document             `json:"documents"`
	ExternalRef        string                 `json:"externalRef,omitempty"`
	Status             PublicationStatus      `json:"status"`
	PublishedAt        *time.Time             `json:"publishedAt,omitempty"`
	Version            int64                  `json:"version"`
	CreatedAt          time.Time              `json:"createdAt"`
	UpdatedAt          time.Time              `json:"updatedAt"`
}

type PromiseAssessment struct {
	PromiseID  uuid.UUID `json:"promiseId"`
	Assessment string    `json:"assessment"`
	Comment    string    `json:"comment,omitempty"`
}

type ActivityStatusReport struct {
	ActivityID uuid.UUID      `json:"activityId"`
	Status     ActivityStatus `json:"status"`
	Comment    string         `json:"comment,omitempty"`
}

func (f *FollowUp) Validate() error {
	var p Problems
	if (f.PromisePeriodID == nil) == (f.AgreementID == nil) {
		p.Add("/promisePeriodId", "exactly one of promisePeriodId and agreementId must be given")
	}
	if f.CoversFrom != nil && f.CoversTo != nil && f.CoversTo.Before(*f.CoversFrom) {
		p.Add("/coversTo", "must not be before coversFrom")
	}
	if f.PromisePeriodID == nil && len(f.PromiseAssessments) > 0 {
		p.Add("/promiseAssessments", "only a follow-up of a promise period assesses promises")
	}
	seenP := map[uuid.UUID]bool{}
	for i, a := range f.PromiseAssessments {
		if seenP[a.PromiseID] {
			p.Add(ptr("/promiseAssessments", i, "promiseId"), "the promise is assessed twice")
		}
		seenP[a.PromiseID] = true
	}
	seenA := map[uuid.UUID]bool{}
	for i, s := range f.ActivityStatuses {
		if seenA[s.ActivityID] {
			p.Add(ptr("/activityStatuses", i, "activityId"), "the activity is reported twice")
		}
		seenA[s.ActivityID] = true
	}
	return p.Err()
}

func (f *FollowUp) TransitionTo(to PublicationStatus, now time.Time) error {
	allowed, ok := checkMove(publicationMoves, f.Status, to)
	if !ok {
		return illegalMove("follow-up", f.Status, to, allowed)
	}
	f.Status = to
	if to == Published {
		t := now.UTC()
		f.PublishedAt = &t
	}
	return nil
}
