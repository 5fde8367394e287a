package samverkan_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/internal/samverkan"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func dayPtr(s string) *time.Time { t := day(s); return &t }

var stamp = time.Date(2026, 11, 23, 10, 15, 2, 123456000, time.UTC)

// A record written to history reads back as the same record: asOf answers are rebuilt from it.
func TestRecordsReadBackFromTheirHistoryJSONUnchanged(t *testing.T) {
	area, period, agreement := uuid.New(), uuid.New(), uuid.New()
	records := []any{
		&samverkan.Agreement{ID: agreement, Parties: samverkan.Parties{MunicipalityCode: "0486", PoliceAreaID: "lpo-eskilstuna"},
			Title: "Samverkansöverenskommelse 2023–2026", ValidFrom: day("2023-06-21"), ValidTo: day("2026-12-31"),
			Goal: "En trygg och säker kommun", PriorityAreas: []samverkan.PriorityArea{{ID: area, Position: 1, Title: "Trafikmiljö", ExternalRef: "pa-1"}},
			ForumIDs: []uuid.UUID{uuid.New()}, DataSources: []string{"Polisens lägesbild"},
			Signatories: []samverkan.Signatory{{Name: "Oscar Nissfolk", Role: "Lokalpolisområdeschef", Party: samverkan.PartyPoliceArea}},
			SignedPlace: "Strängnäs", SignedOn: dayPtr("2023-06-21"),
			Adoption:  &samverkan.Adoption{Body: "Kommunfullmäktige", DecidedOn: day("2023-09-25"), Reference: "KS/2023:1"},
			Documents: []samverkan.Document{{Title: "Överenskommelsen", URL: "https://www.strangnas.se/x.pdf"}},
			Status:    samverkan.AgreementAdopted, Version: 3, CreatedAt: stamp, UpdatedAt: stamp},
		&samverkan.PromisePeriod{ID: period, Parties: samverkan.Parties{MunicipalityCode: "0486", PoliceAreaID: "lpo-eskilstuna"},
			AgreementID: &agreement, Title: "Medborgarlöften 2024–2025", StartYear: 2024, EndYear: 2025, SignedOn: dayPtr("2024-03-01"),
			Signatories: []samverkan.Signatory{}, Promises: []samverkan.Promise{{ID: uuid.New(), Position: 1, Text: "Trygghetsvandringar i Mariefred"}},
			Documents: []samverkan.Document{}, Status: samverkan.Published, PublishedAt: &stamp, Version: 2, CreatedAt: stamp, UpdatedAt: stamp},
		&samverkan.Activity{ID: uuid.New(), PromisePeriodID: &period, Description: "Grannsamverkan i Åkers styckebruk", Position: 4,
			PriorityAreaIDs: []uuid.UUID{area}, PromiseIDs: []uuid.UUID{}, ResponsibleParty: samverkan.ResponsibleJoint,
			Partners: []string{"Civilsamhället"}, Method: "Grannsamverkan", Recurrence: "yearly",
			StartsOn: dayPtr("2024-01-01"), EndsOn: dayPtr("2025-12-31"), Status: samverkan.ActivityOngoing, Version: 1, CreatedAt: stamp, UpdatedAt: stamp},
		&samverkan.FollowUp{ID: uuid.New(), PromisePeriodID: &period, Kind: samverkan.KindYearlySummary, Title: "Sammanställning 2024",
			ReportedOn: dayPtr("2025-02-10"), CoversFrom: dayPtr("2024-01-01"), CoversTo: dayPtr("2024-12-31"),
			PromiseAssessments: []samverkan.PromiseAssessment{}, ActivityStatuses: []samverkan.ActivityStatusReport{},
			Documents: []samverkan.Document{}, Status: samverkan.Draft, Version: 1, CreatedAt: stamp, UpdatedAt: stamp},
		&samverkan.Meeting{ID: uuid.New(), ForumID: uuid.New(), HeldOn: day("2025-05-12"), Title: "Central BRÅ", Version: 1, CreatedAt: stamp, UpdatedAt: stamp},
	}
	for _, rec := range records {
		raw, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		back := reflect.New(reflect.TypeOf(rec).Elem()).Interface()
		if err := json.Unmarshal(raw, back); err != nil {
			t.Fatalf("%T: %v", rec, err)
		}
		if !reflect.DeepEqual(back, rec) {
			t.Errorf("%T does not read back unchanged:\nwrote %+v\nread  %+v\njson  %s", rec, rec, back, raw)
		}
		if strings.Contains(string(raw), "T00:00:00") {
			t.Errorf("%T writes a calendar date as a timestamp: %s", rec, raw)
		}
	}
}

func TestRecordJSONUsesTheContractsNamesAndNeverNullLists(t *testing.T) {
	raw, err := json.Marshal(samverkan.Agreement{ValidFrom: day("2023-06-21"), ValidTo: day("2026-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for _, list := range []string{"priorityAreas", "forumIds", "dataSources", "signatories", "documents"} {
		if v, ok := m[list].([]any); !ok || len(v) != 0 {
			t.Errorf("%s is %v, want []", list, m[list])
		}
	}
	if m["validFrom"] != "2023-06-21" || m["municipalityCode"] != "" {
		t.Errorf("agreement JSON %s", raw)
	}
}

// Adoption decisions were stored with a full timestamp before dates were written as dates.
func TestAnAdoptionStoredAsATimestampStillReads(t *testing.T) {
	var a samverkan.Adoption
	if err := json.Unmarshal([]byte(`{"body":"Kommunfullmäktige","decidedOn":"2024-12-16T00:00:00Z"}`), &a); err != nil {
		t.Fatal(err)
	}
	if !a.DecidedOn.Equal(day("2024-12-16")) {
		t.Errorf("decidedOn %v", a.DecidedOn)
	}
}

func TestADiffNamesEachChangedFieldWithItsPreviousValue(t *testing.T) {
	before := `{"title":"Medborgarlöften 2024","status":"draft","version":1,"updatedAt":"a","promises":[{"text":"A"},{"text":"B"}],"summary":"x"}`
	after := `{"title":"Medborgarlöften 2024–2025","status":"draft","version":2,"updatedAt":"b","promises":[{"text":"A"},{"text":"B2"},{"text":"C"}]}`
	ops, err := samverkan.Diff([]byte(before), []byte(after))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]samverkan.PatchOp{}
	for _, op := range ops {
		got[op.Op+" "+op.Path] = op
	}
	want := map[string][2]string{
		"replace /title":           {`"Medborgarlöften 2024–2025"`, `"Medborgarlöften 2024"`},
		"replace /promises/1/text": {`"B2"`, `"B"`},
		"add /promises/-":          {`{"text":"C"}`, ``},
		"remove /summary":          {``, `"x"`},
	}
	if len(got) != len(want) {
		t.Errorf("diff %+v, want exactly %v (version and updatedAt left out)", ops, want)
	}
	for k, w := range want {
		op, ok := got[k]
		if !ok || string(op.Value) != w[0] || string(op.Previous) != w[1] {
			t.Errorf("%s: got %+v (value %s, previous %s), want value %s previous %s", k, op, op.Value, op.Previous, w[0], w[1])
		}
	}
}

func TestEventsAreNamedForWhatHappened(t *testing.T) {
	status := []samverkan.PatchOp{{Op: "replace", Path: "/status"}}
	for _, c := range []struct {
		kind   string
		op     samverkan.Op
		status string
		diff   []samverkan.PatchOp
		want   string
	}{
		{samverkan.RecordPromisePeriod, samverkan.OpCreate, "", nil, "promise_period.created"},
		{samverkan.RecordPromisePeriod, samverkan.OpTransition, "published", nil, "promise_period.published"},
		{samverkan.RecordAgreement, samverkan.OpTransition, "signed", nil, "agreement.signed"},
		{samverkan.RecordActivity, samverkan.OpUpdate, "", status, "activity.status_changed"},
		{samverkan.RecordActivity, samverkan.OpUpdate, "", []samverkan.PatchOp{{Op: "replace", Path: "/description"}}, "activity.updated"},
		{samverkan.RecordActivity, samverkan.OpPublish, "", nil, "activity.published"},
		{samverkan.RecordFollowUp, samverkan.OpDelete, "", nil, "follow_up.deleted"},
		{samverkan.RecordForum, samverkan.OpUpdate, "", status, "forum.updated"},
		{samverkan.RecordWebhook, samverkan.OpPing, "", nil, "webhook.ping"},
	} {
		if got := samverkan.EventType(c.kind, c.op, c.status, c.diff); got != c.want {
			t.Errorf("%s %s %s: %s, want %s", c.kind, c.op, c.status, got, c.want)
		}
		if !contains(samverkan.EventTypes, c.want) {
			t.Errorf("%s is not among the listed event types", c.want)
		}
	}
	for sel, match := range map[string]bool{"*": true, "activity.*": true, "activity.status_changed": true, "activity.updated": false, "agreement.*": false} {
		if got := samverkan.MatchesEventType(sel, "activity.status_changed"); got != match {
			t.Errorf("selector %s matches activity.status_changed: %v, want %v", sel, got, match)
		}
	}
}

func TestDeliveriesBackOffExponentiallyUpToTenMinutes(t *testing.T) {
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 10 * time.Minute, 10 * time.Minute}
	for i, w := range want {
		if got := samverkan.DeliveryBackoff(i + 1); got != w {
			t.Errorf("after %d failed attempts wait %v, want %v", i+1, got, w)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
