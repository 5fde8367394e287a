package store_test

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
)

// Field coverage: each resource is filled in every exported field, written through the real
// store, read back and compared as a whole value. A field added to a domain type and forgotten
// in fromX or toX (internal/store/convert.go), in a column or in a migration fails here:
// requireEveryFieldSet fails first if the test itself was not taught the new field.
//
// Fields that exclude each other (an activity belongs to an agreement OR a promise period) are
// covered by several values: a field must be set in at least one of them.

var coverageTime = time.Date(2026, 11, 23, 10, 11, 12, 123456000, time.UTC)

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// requireEveryFieldSet fails t for each exported field, nested fields of structs, pointers and
// slice elements included, that is the zero value in every one of values. except names fields
// (as "Activity.Version", "Agreement.PriorityAreas[].Description") the test may leave unset,
// each with the reason.
func requireEveryFieldSet(t *testing.T, except map[string]string, values ...any) {
	t.Helper()
	all, set := map[string]bool{}, map[string]bool{}
	for _, v := range values {
		rv := reflect.ValueOf(v)
		for rv.Kind() == reflect.Pointer {
			rv = rv.Elem()
		}
		collectFields(rv, rv.Type().Name(), all, set)
	}
	var missing []string
	for p := range all {
		if !set[p] {
			if _, ok := except[p]; !ok {
				missing = append(missing, p)
			}
		}
	}
	sort.Strings(missing)
	for _, p := range missing {
		t.Errorf("%s is the zero value: fill it in the coverage test (or list it as an exception with a reason)", p)
	}
	for p := range except {
		if !all[p] {
			t.Errorf("exception %s names no field", p)
		}
	}
}

var timeType = reflect.TypeOf(time.Time{})

func collectFields(v reflect.Value, path string, all, set map[string]bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			collectFields(v.Elem(), path, all, set)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			collectFields(v.Index(i), path+"[]", all, set)
		}
	case reflect.Struct:
		if v.Type() == timeType {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			p := path + "." + f.Name
			all[p] = true
			fv := v.Field(i)
			if !fv.IsZero() && !(fv.Kind() == reflect.Slice && fv.Len() == 0) {
				set[p] = true
			}
			collectFields(fv, p, all, set)
		}
	}
}

// normaliseTimes sets every time.Time reachable from ptr to UTC at microsecond precision, the
// precision both databases keep; nothing else is changed.
func normaliseTimes(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			normaliseTimes(v.Elem())
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			normaliseTimes(v.Index(i))
		}
	case reflect.Struct:
		if v.Type() == timeType {
			if v.CanSet() {
				v.Set(reflect.ValueOf(v.Interface().(time.Time).UTC().Truncate(time.Microsecond)))
			}
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				normaliseTimes(v.Field(i))
			}
		}
	}
}

// requireSameValue compares want and got (pointers to the same struct type) as whole values
// after normalising times, and names each top-level field that differs.
func requireSameValue(t *testing.T, want, got any) {
	t.Helper()
	w, g := reflect.ValueOf(want).Elem(), reflect.ValueOf(got).Elem()
	wc, gc := reflect.New(w.Type()), reflect.New(g.Type())
	wc.Elem().Set(w)
	gc.Elem().Set(g)
	normaliseTimes(wc)
	normaliseTimes(gc)
	if reflect.DeepEqual(wc.Interface(), gc.Interface()) {
		return
	}
	var diffs []string
	for i := 0; i < w.NumField(); i++ {
		wf, gf := wc.Elem().Field(i), gc.Elem().Field(i)
		if !reflect.DeepEqual(wf.Interface(), gf.Interface()) {
			diffs = append(diffs, fmt.Sprintf("%s.%s: wrote %+v, read %+v", w.Type().Name(), w.Type().Field(i).Name, show(wf), show(gf)))
		}
	}
	t.Errorf("the store did not keep every field:\n%s", strings.Join(diffs, "\n"))
}

func show(v reflect.Value) any {
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		return fmt.Sprintf("&%+v", v.Elem().Interface())
	}
	return v.Interface()
}

// The fixtures below fill every field; parents come first.

var coverageParties = samverkan.Parties{MunicipalityCode: "0486", PoliceAreaID: "lpo-eskilstuna"}

func coverageForum() *samverkan.Forum {
	return &samverkan.Forum{
		ID: newID(), MunicipalityCode: "0486", PoliceAreaID: "lpo-eskilstuna", Code: "brå-strängnäs",
		Name: "Brottsförebyggande rådet", Level: "strategic", Scope: "local",
		Description:  "Styrgrupp för det brottsförebyggande arbetet.",
		Participants: []string{"kommundirektör", "lokalpolisområdeschef"}, Cadence: "fyra gånger per år",
		ExternalRef: "forum-" + newID().String(), Version: 3, CreatedAt: coverageTime, UpdatedAt: coverageTime.Add(time.Hour),
	}
}

func coverageMeeting(forum uuid.UUID) *samverkan.Meeting {
	return &samverkan.Meeting{
		ID: newID(), ForumID: forum, HeldOn: day("2026-03-12"), Title: "Vårmöte",
		Summary: "Lägesbild och uppföljning av aktiviteterna.", Version: 2,
		CreatedAt: coverageTime, UpdatedAt: coverageTime.Add(time.Hour),
	}
}

func coverageDocuments() []samverkan.Document {
	return []samverkan.Document{
		{Title: "Överenskommelse", URL: "https://example.org/a.pdf", MediaType: "application/pdf", SizeBytes: ptrTo(int64(197000))},
		{Title: "Bilaga", URL: "https://example.org/b.pdf", MediaType: "application/pdf", SizeBytes: ptrTo(int64(1200))},
	}
}

func coverageSignatories() []samverkan.Signatory {
	return []samverkan.Signatory{
		{Name: "Jacob Högfeldt", Role: "Kommunstyrelsens ordförande", Party: samverkan.PartyMunicipality},
		{Name: "Oscar Nissfolk", Role: "Lokalpolisområdeschef", Party: samverkan.PartyPoliceArea},
	}
}

func coverageAgreement(forum uuid.UUID, replaces uuid.UUID) *samverkan.Agreement {
	id := newID()
	return &samverkan.Agreement{
		ID: id, Parties: coverageParties, Title: "Samverkansöverenskommelse 2023–2026",
		ValidFrom: day("2023-06-21"), ValidTo: day("2026-12-31"), Purpose: "Att samverka.",
		Goal: "En trygg och säker kommun.", CooperationModel: "Effektiv samordning för trygghet",
		PriorityAreas: []samverkan.PriorityArea{
			{ID: newID(), Position: 1, Title: "Barn och unga", Description: "Skydda barn och unga.", ExternalRef: "pa-1-" + id.String()},
			{ID: newID(), Position: 2, Title: "Trafik", Description: "En trygg trafikmiljö.", ExternalRef: "pa-2-" + id.String()},
		},
		ForumIDs: []uuid.UUID{forum}, DataSources: []string{"Polisens anmälningsstatistik", "Trygghetsmätning"},
		Signatories: coverageSignatories(), SignedPlace: "Strängnäs", SignedOn: ptrTo(day("2023-06-21")),
		Adoption:  &samverkan.Adoption{Body: "Kommunfullmäktige", DecidedOn: day("2023-12-14"), Reference: "KF § 12"},
		Documents: coverageDocuments(), ReplacesID: &replaces, ExternalRef: "agreement-" + id.String(),
		Status: samverkan.AgreementAdopted, Version: 4, CreatedAt: coverageTime, UpdatedAt: coverageTime.Add(time.Hour),
	}
}

func coveragePeriod(agreement uuid.UUID) *samverkan.PromisePeriod {
	id := newID()
	return &samverkan.PromisePeriod{
		ID: id, Parties: coverageParties, AgreementID: &agreement, Title: "Medborgarlöften 2025–2026",
		StartYear: 2025, EndYear: 2026, Summary: "Två löften.", SignedOn: ptrTo(day("2025-01-15")),
		Signatories: coverageSignatories(),
		Promises: []samverkan.Promise{
			{ID: newID(), Position: 1, Text: "Vi ska synas i centrum.", ExternalRef: "p-1-" + id.String()},
			{ID: newID(), Position: 2, Text: "Vi ska minska skadegörelsen.", ExternalRef: "p-2-" + id.String()},
		},
		Documents: coverageDocuments(), ExternalRef: "period-" + id.String(), Status: samverkan.Published,
		PublishedAt: ptrTo(coverageTime), Version: 5, CreatedAt: coverageTime, UpdatedAt: coverageTime.Add(time.Hour),
	}
}

func coverageActivity(agreement, period *uuid.UUID, areas, promises []uuid.UUID) *samverkan.Activity {
	return &samverkan.Activity{
		ID: newID(), AgreementID: agreement, PromisePeriodID: period, Parties: coverageParties, Public: true,
		Description: "Samverkan under evenemang och storhelger.", Position: 2,
		PriorityAreaIDs: areas, PromiseIDs: promises, ResponsibleParty: samverkan.ResponsibleJoint,
		Partners: []string{"fältare", "bevakningsföretag"}, Method: "Grannsamverkan", Recurrence: "at_events",
		StartsOn: ptrTo(day("2025-02-01")), EndsOn: ptrTo(day("2025-11-30")), Status: samverkan.ActivityOngoing,
		ExternalRef: "activity-" + newID().String(), Version: 6, CreatedAt: coverageTime, UpdatedAt: coverageTime.Add(time.Hour),
	}
}

func coverageFollowUp(agreement, period, meeting, promise, activity *uuid.UUID) *samverkan.FollowUp {
	return &samverkan.FollowUp{
		ID: newID(), PromisePeriodID: period, AgreementID: agreement, Parties: coverageParties,
		Kind: samverkan.KindYearlySummary, Title: "Uppföljning 2025", ReportedOn: ptrTo(day("2026-01-20")),
		MeetingID: meeting, CoversFrom: ptrTo(day("2025-01-01")), CoversTo: ptrTo(day("2025-12-31")),
		Summary:            "Löftena är i stort sett uppfyllda.",
		PromiseAssessments: []samverkan.PromiseAssessment{{PromiseID: *promise, Assessment: "fulfilled", Comment: "Synlig polis."}},
		ActivityStatuses:   []samverkan.ActivityStatusReport{{ActivityID: *activity, Status: samverkan.ActivityCompleted, Comment: "Genomförd."}},
		Documents:          coverageDocuments(), ExternalRef: "followup-" + newID().String(), Status: samverkan.Published,
		PublishedAt: ptrTo(coverageTime), Version: 7, CreatedAt: coverageTime, UpdatedAt: coverageTime.Add(time.Hour),
	}
}

type coverageFixture struct {
	forum                   *samverkan.Forum
	meeting                 *samverkan.Meeting
	replaced, agreement     *samverkan.Agreement
	period                  *samverkan.PromisePeriod
	onAgreement, onPeriod   *samverkan.Activity
	aboutAgreement, period2 *samverkan.FollowUp
}

// writeCoverageFixture writes one fully filled value of each resource, in one transaction.
func writeCoverageFixture(t *testing.T, st *store.Store) coverageFixture {
	t.Helper()
	seedParties(t, st)
	var f coverageFixture
	f.forum = coverageForum()
	f.meeting = coverageMeeting(f.forum.ID)
	f.replaced = newAgreement("0484", samverkan.AgreementSuperseded)
	f.agreement = coverageAgreement(f.forum.ID, f.replaced.ID)
	f.period = coveragePeriod(f.agreement.ID)
	areas := []uuid.UUID{f.agreement.PriorityAreas[0].ID, f.agreement.PriorityAreas[1].ID}
	promises := []uuid.UUID{f.period.Promises[0].ID, f.period.Promises[1].ID}
	f.onAgreement = coverageActivity(&f.agreement.ID, nil, areas, promises)
	f.onPeriod = coverageActivity(nil, &f.period.ID, areas, promises)
	f.aboutAgreement = coverageFollowUp(&f.agreement.ID, nil, &f.meeting.ID, &promises[0], &f.onAgreement.ID)
	f.period2 = coverageFollowUp(nil, &f.period.ID, &f.meeting.ID, &promises[1], &f.onPeriod.ID)
	create(t, st, func(tx samverkan.Tx) error {
		steps := []func() error{
			func() error { return tx.CreateForum(ctx, f.forum) },
			func() error { return tx.CreateMeeting(ctx, f.meeting) },
			func() error { return tx.CreateAgreement(ctx, f.replaced) },
			func() error { return tx.CreateAgreement(ctx, f.agreement) },
			func() error { return tx.CreatePromisePeriod(ctx, f.period) },
			func() error { return tx.CreateActivity(ctx, f.onAgreement) },
			func() error { return tx.CreateActivity(ctx, f.onPeriod) },
			func() error { return tx.CreateFollowUp(ctx, f.aboutAgreement) },
			func() error { return tx.CreateFollowUp(ctx, f.period2) },
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
	return f
}

func TestCoverageStoreKeepsEveryFieldOfActivity(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		f := writeCoverageFixture(t, st)
		requireEveryFieldSet(t, nil, f.onAgreement, f.onPeriod)
		for _, want := range []*samverkan.Activity{f.onAgreement, f.onPeriod} {
			got, err := st.Activity(ctx, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			requireSameValue(t, want, got)
		}
	})
}

func TestCoverageStoreKeepsEveryFieldOfAgreement(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		f := writeCoverageFixture(t, st)
		requireEveryFieldSet(t, nil, f.agreement)
		got, err := st.Agreement(ctx, f.agreement.ID)
		if err != nil {
			t.Fatal(err)
		}
		requireSameValue(t, f.agreement, got)
	})
}

func TestCoverageStoreKeepsEveryFieldOfPromisePeriod(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		f := writeCoverageFixture(t, st)
		requireEveryFieldSet(t, nil, f.period)
		got, err := st.PromisePeriod(ctx, f.period.ID)
		if err != nil {
			t.Fatal(err)
		}
		requireSameValue(t, f.period, got)
	})
}

func TestCoverageStoreKeepsEveryFieldOfFollowUp(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		f := writeCoverageFixture(t, st)
		requireEveryFieldSet(t, nil, f.aboutAgreement, f.period2)
		for _, want := range []*samverkan.FollowUp{f.aboutAgreement, f.period2} {
			got, err := st.FollowUp(ctx, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			requireSameValue(t, want, got)
		}
	})
}

func TestCoverageStoreKeepsEveryFieldOfForumAndMeeting(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		f := writeCoverageFixture(t, st)
		requireEveryFieldSet(t, nil, f.forum)
		requireEveryFieldSet(t, nil, f.meeting)
		forum, err := st.Forum(ctx, f.forum.ID)
		if err != nil {
			t.Fatal(err)
		}
		requireSameValue(t, f.forum, forum)
		meeting, err := st.Meeting(ctx, f.meeting.ID)
		if err != nil {
			t.Fatal(err)
		}
		requireSameValue(t, f.meeting, meeting)
	})
}

// The checker itself: a zero field is reported, one set in another value is not.
func TestCoverageCheckerReportsAZeroField(t *testing.T) {
	all, set := map[string]bool{}, map[string]bool{}
	a := coverageActivity(nil, ptrTo(newID()), []uuid.UUID{newID()}, []uuid.UUID{newID()})
	a.Method = ""
	collectFields(reflect.ValueOf(*a), "Activity", all, set)
	if set["Activity.Method"] || !all["Activity.Method"] || set["Activity.AgreementID"] || !set["Activity.Parties.PoliceAreaID"] {
		t.Fatalf("set %v", set)
	}
}
