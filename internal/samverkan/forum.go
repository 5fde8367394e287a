package samverkan

import (
	"time"

	"github.com/google/uuid"
)

// Forum is a recurring meeting that builds the shared situational picture (EST, BRÅ, SSPF).
// Forums such as SSPF discuss individuals; that information never enters this system, so a
// forum records only functions and organizations as participants.
type Forum struct {
	ID               uuid.UUID
	MunicipalityCode string
	PoliceAreaID     string
	Code             string
	Name             string
	Level            string // strategic | operational
	Scope            string // local | central
	Description      string
	Participants     []string
	Cadence          string
	ExternalRef      string
	Version          int64
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (f *Forum) Parties() Parties {
	return Parties{MunicipalityCode: f.MunicipalityCode, PoliceAreaID: f.PoliceAreaID}
}

// Meeting is one meeting of a forum.
type Meeting struct {
	ID        uuid.UUID
	ForumID   uuid.UUID
	HeldOn    time.Time
	Title     string
	Summary   string
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}
