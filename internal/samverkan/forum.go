package samverkan

import (
	"time"

	"github.com/google/uuid"
)

// Forum is a recurring meeting that builds the shared situational picture (EST, BRÅ, SSPF).
// Forums such as SSPF discuss individuals; that information never enters this system, so a
// forum records only functions and organizations as participants.
type Forum struct {
	ID               uuid.UUID `json:"id"`
	MunicipalityCode string    `json:"municipalityCode"`
	PoliceAreaID     string    `json:"policeAreaId,omitempty"`
	Code             string    `json:"code"`
	Name             string    `json:"name"`
	Level            string    `json:"level,omitempty"` // strategic | operational
	Scope            string    `json:"scope,omitempty"` // local | central
	Description      string    `json:"description,omitempty"`
	Participants     []string  `json:"participants"`
	Cadence          string    `json:"cadence,omitempty"`
	ExternalRef      string    `json:"externalRef,omitempty"`
	Version          int64     `json:"version"`
	CreatedAt        time.Time `json:"createdAt"`
	UpdatedAt        time.Time `json:"updatedAt"`
}

func (f *Forum) Parties() Parties {
	return Parties{MunicipalityCode: f.MunicipalityCode, PoliceAreaID: f.PoliceAreaID}
}

// Meeting is one meeting of a forum.
type Meeting struct {
	ID        uuid.UUID `json:"id"`
	ForumID   uuid.UUID `json:"forumId"`
	HeldOn    time.Time `json:"heldOn"`
	Title     string    `json:"title,omitempty"`
	Summary   string    `json:"summary,omitempty"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}
