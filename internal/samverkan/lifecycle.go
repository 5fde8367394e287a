package samverkan

import (
	"slices"
	"strings"
)

// AgreementStatus is the stored lifecycle state of an agreement. Whether a signed agreement is
// in force is not stored: it follows from its validity dates (see Agreement.Phase).
type AgreementStatus string

const (
	AgreementDraft      AgreementStatus = "draft"
	AgreementSigned     AgreementStatus = "signed"
	AgreementAdopted    AgreementStatus = "adopted"
	AgreementSuperseded AgreementStatus = "superseded"
)

var agreementMoves = map[AgreementStatus][]AgreementStatus{
	AgreementDraft:      {AgreementSigned},
	AgreementSigned:     {AgreementAdopted, AgreementSuperseded},
	AgreementAdopted:    {AgreementSuperseded},
	AgreementSuperseded: {},
}

// Phase is where an agreement stands on a given day.
type Phase string

const (
	PhaseDraft      Phase = "draft"
	PhaseSigned     Phase = "signed" // signed, validity not yet begun
	PhaseAdopted    Phase = "adopted"
	PhaseInForce    Phase = "in_force"
	PhaseExpired    Phase = "expired"
	PhaseSuperseded Phase = "superseded"
)

// PublicationStatus is the lifecycle of promise periods and follow-up reports.
type PublicationStatus string

const (
	Draft     PublicationStatus = "draft"
	Published PublicationStatus = "published"
	Archived  PublicationStatus = "archived"
)

var publicationMoves = map[PublicationStatus][]PublicationStatus{
	Draft:     {Published},
	Published: {Archived},
	Archived:  {},
}

// IsPublic reports whether material in this state is visible without credentials.
func (s PublicationStatus) IsPublic() bool { return s == Published || s == Archived }

func illegalMove[S ~string](kind string, from, to S, allowed []S) error {
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	msg := article(string(from)) + " " + string(from) + " " + kind + " cannot become " + string(to) + "."
	if len(names) == 0 {
		msg += " It is final."
	} else {
		msg += " It may become: " + strings.Join(names, ", ") + "."
	}
	return &Error{Code: EConflict, Message: msg, Allowed: names}
}

func checkMove[S comparable](moves map[S][]S, from, to S) ([]S, bool) {
	allowed, known := moves[from]
	return allowed, known && slices.Contains(allowed, to)
}

func article(word string) string {
	if strings.ContainsRune("aeiouAEIOU", rune(word[0])) {
		return "An"
	}
	return "A"
}
