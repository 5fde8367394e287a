package samverkan

import (
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAnAgreementsPhaseFollowsItsStatusAndDates(t *testing.T) {
	a := Agreement{ValidFrom: day("2023-06-21"), ValidTo: day("2026-12-31")}
	cases := []struct {
		status AgreementStatus
		on     string
		want   Phase
	}{
		{AgreementDraft, "2024-01-01", PhaseDraft},
		{AgreementSigned, "2023-06-20", PhaseSigned},
		{AgreementAdopted, "2023-06-20", PhaseAdopted},
		{AgreementSigned, "2023-06-21", PhaseInForce},  // the first day counts
		{AgreementAdopted, "2026-12-31", PhaseInForce}, // and so does the last
		{AgreementSigned, "2027-01-01", PhaseExpired},
		{AgreementSuperseded, "2024-01-01", PhaseSuperseded},
	}
	for _, c := range cases {
		a.Status = c.status
		if got := a.Phase(day(c.on).Add(12 * time.Hour)); got != c.want {
			t.Errorf("%s on %s: %s, want %s", c.status, c.on, got, c.want)
		}
	}
}

func TestSigningNeedsTheDateAndASignatory(t *testing.T) {
	a := Agreement{Status: AgreementDraft}
	err := a.TransitionTo(AgreementSigned, time.Now())
	e, ok := err.(*Error)
	if !ok || e.Code != EConflict || len(e.Fields) != 2 {
		t.Fatalf("signing an empty draft: %v, want a conflict naming signedOn and signatories", err)
	}
	signed := day("2023-06-21")
	a.SignedOn, a.Signatories = &signed, []Signatory{{Name: "Oscar Nissfolk", Role: "Lokalpolisområdeschef", Party: PartyPoliceArea}}
	if err := a.TransitionTo(AgreementSigned, time.Now()); err != nil || a.Status != AgreementSigned {
		t.Fatalf("signing: %v, status %s", err, a.Status)
	}
}

func TestIllegalMovesNameTheAllowedOnes(t *testing.T) {
	cases := []struct {
		from, to AgreementStatus
		allowed  []string
	}{
		{AgreementDraft, AgreementAdopted, []string{"signed"}},
		{AgreementSigned, AgreementDraft, []string{"adopted", "superseded"}},
		{AgreementSuperseded, AgreementSigned, []string{}},
	}
	for _, c := range cases {
		a := Agreement{Status: c.from}
		err := a.TransitionTo(c.to, time.Now())
		e, ok := err.(*Error)
		if !ok || e.Code != EConflict || len(e.Allowed) != len(c.allowed) {
			t.Fatalf("%s → %s: %v", c.from, c.to, err)
		}
		for i := range c.allowed {
			if e.Allowed[i] != c.allowed[i] {
				t.Errorf("%s → %s allowed %v, want %v", c.from, c.to, e.Allowed, c.allowed)
			}
		}
		if a.Status != c.from {
			t.Errorf("a refused move changed the status to %s", a.Status)
		}
	}
}

func TestAPromisePeriodIsInForceOnlyWhenPublishedAndCoveringToday(t *testing.T) {
	pp := PromisePeriod{StartYear: 2024, EndYear: 2025, Status: Published}
	if !pp.InForce(day("2025-12-31")) || pp.InForce(day("2026-01-01")) || pp.InForce(day("2023-12-31")) {
		t.Fatal("a 2024–2025 period is in force in 2024 and 2025 only")
	}
	pp.Status = Archived
	if pp.InForce(day("2024-06-01")) {
		t.Fatal("an archived period is not in force")
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	draft := PromisePeriod{Status: Draft, Promises: []Promise{{Text: "Fler vuxna i det offentliga rummet."}}}
	if err := draft.TransitionTo(Published, now); err != nil || draft.PublishedAt == nil || !draft.PublishedAt.Equal(now) {
		t.Fatalf("publishing: %v, publishedAt %v", err, draft.PublishedAt)
	}
	if err := (&PromisePeriod{Status: Draft}).TransitionTo(Published, now); ErrorCode(err) != EConflict {
		t.Fatalf("publishing a period without promises or document: %v", err)
	}
}

func TestSwedishDaysAreCountedInStockholm(t *testing.T) {
	// 23:30 UTC on New Year's Eve is already New Year's Day in Strängnäs.
	late := time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)
	if got := Day(late); !got.Equal(day("2027-01-01")) {
		t.Fatalf("Day(%s) = %s, want 2027-01-01", late, got.Format(time.DateOnly))
	}
}
