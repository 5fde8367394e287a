package samverkan

import (
	"encoding/json"
	"fmt"
	"time"
)

// Records are written as JSON in their history (each revision keeps the record as it stood)
// and in change events. That JSON is the contract's representation of the record, without
// the fields computed at read time: the same field names, calendar dates as "2006-01-02",
// lists as [] rather than null. A record read back from it equals the record written.
//
// Each type below with a calendar date shadows its date fields with calendarDate in an
// anonymous struct around a method-less copy of itself: encoding/json prefers the shallower
// field of a name, and the copy keeps MarshalJSON from calling itself.

// calendarDate is a date without a time of day, as the contract writes dates.
type calendarDate time.Time

func (d calendarDate) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(d).Format(time.DateOnly) + `"`), nil
}

// UnmarshalJSON also reads a full timestamp, as adoption decisions were stored before dates
// were written as dates.
func (d *calendarDate) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		if t, err = time.Parse(time.RFC3339Nano, s); err != nil {
			return fmt.Errorf("date %q: want YYYY-MM-DD", s)
		}
	}
	*d = calendarDate(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC))
	return nil
}

func datePtr(t *time.Time) *calendarDate {
	if t == nil {
		return nil
	}
	d := calendarDate(*t)
	return &d
}

func timePtr(d *calendarDate) *time.Time {
	if d == nil {
		return nil
	}
	t := time.Time(*d)
	return &t
}

type plainAgreement Agreement

type agreementJSON struct {
	plainAgreement
	ValidFrom calendarDate  `json:"validFrom"`
	ValidTo   calendarDate  `json:"validTo"`
	SignedOn  *calendarDate `json:"signedOn,omitempty"`
}

func (a Agreement) MarshalJSON() ([]byte, error) {
	p := plainAgreement(a)
	p.PriorityAreas, p.ForumIDs, p.DataSources = nonNil(p.PriorityAreas), nonNil(p.ForumIDs), nonNil(p.DataSources)
	p.Signatories, p.Documents = nonNil(p.Signatories), nonNil(p.Documents)
	return json.Marshal(agreementJSON{p, calendarDate(a.ValidFrom), calendarDate(a.ValidTo), datePtr(a.SignedOn)})
}

func (a *Agreement) UnmarshalJSON(b []byte) error {
	var j agreementJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*a = Agreement(j.plainAgreement)
	a.ValidFrom, a.ValidTo, a.SignedOn = time.Time(j.ValidFrom), time.Time(j.ValidTo), timePtr(j.SignedOn)
	return nil
}

type plainAdoption Adoption

type adoptionJSON struct {
	plainAdoption
	DecidedOn calendarDate `json:"decidedOn"`
}

func (a Adoption) MarshalJSON() ([]byte, error) {
	return json.Marshal(adoptionJSON{plainAdoption(a), calendarDate(a.DecidedOn)})
}

func (a *Adoption) UnmarshalJSON(b []byte) error {
	var j adoptionJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*a = Adoption(j.plainAdoption)
	a.DecidedOn = time.Time(j.DecidedOn)
	return nil
}

type plainPromisePeriod PromisePeriod

type promisePeriodJSON struct {
	plainPromisePeriod
	SignedOn *calendarDate `json:"signedOn,omitempty"`
}

func (pp PromisePeriod) MarshalJSON() ([]byte, error) {
	p := plainPromisePeriod(pp)
	p.Signatories, p.Promises, p.Documents = nonNil(p.Signatories), nonNil(p.Promises), nonNil(p.Documents)
	return json.Marshal(promisePeriodJSON{p, datePtr(pp.SignedOn)})
}

func (pp *PromisePeriod) UnmarshalJSON(b []byte) error {
	var j promisePeriodJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*pp = PromisePeriod(j.plainPromisePeriod)
	pp.SignedOn = timePtr(j.SignedOn)
	return nil
}

type plainActivity Activity

type activityJSON struct {
	plainActivity
	StartsOn *calendarDate `json:"startsOn,omitempty"`
	EndsOn   *calendarDate `json:"endsOn,omitempty"`
}

func (a Activity) MarshalJSON() ([]byte, error) {
	p := plainActivity(a)
	p.PriorityAreaIDs, p.PromiseIDs, p.Partners = nonNil(p.PriorityAreaIDs), nonNil(p.PromiseIDs), nonNil(p.Partners)
	return json.Marshal(activityJSON{p, datePtr(a.StartsOn), datePtr(a.EndsOn)})
}

func (a *Activity) UnmarshalJSON(b []byte) error {
	var j activityJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*a = Activity(j.plainActivity)
	a.StartsOn, a.EndsOn = timePtr(j.StartsOn), timePtr(j.EndsOn)
	return nil
}

type plainFollowUp FollowUp

type followUpJSON struct {
	plainFollowUp
	ReportedOn *calendarDate `json:"reportedOn,omitempty"`
	CoversFrom *calendarDate `json:"coversFrom,omitempty"`
	CoversTo   *calendarDate `json:"coversTo,omitempty"`
}

func (f FollowUp) MarshalJSON() ([]byte, error) {
	p := plainFollowUp(f)
	p.PromiseAssessments, p.ActivityStatuses, p.Documents = nonNil(p.PromiseAssessments), nonNil(p.ActivityStatuses), nonNil(p.Documents)
	return json.Marshal(followUpJSON{p, datePtr(f.ReportedOn), datePtr(f.CoversFrom), datePtr(f.CoversTo)})
}

func (f *FollowUp) UnmarshalJSON(b []byte) error {
	var j followUpJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*f = FollowUp(j.plainFollowUp)
	f.ReportedOn, f.CoversFrom, f.CoversTo = timePtr(j.ReportedOn), timePtr(j.CoversFrom), timePtr(j.CoversTo)
	return nil
}

type plainMeeting Meeting

type meetingJSON struct {
	plainMeeting
	HeldOn calendarDate `json:"heldOn"`
}

func (m Meeting) MarshalJSON() ([]byte, error) {
	return json.Marshal(meetingJSON{plainMeeting(m), calendarDate(m.HeldOn)})
}

func (m *Meeting) UnmarshalJSON(b []byte) error {
	var j meetingJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*m = Meeting(j.plainMeeting)
	m.HeldOn = time.Time(j.HeldOn)
	return nil
}

type plainForum Forum

func (f Forum) MarshalJSON() ([]byte, error) {
	p := plainForum(f)
	p.Participants = nonNil(p.Participants)
	return json.Marshal(p)
}
