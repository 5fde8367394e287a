package store

import (
	"github.com/google/uuid"

	"github.com/samverkan/samverkan/internal/samverkan"
)

func optStr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func toPoliceArea(r policeAreaRow) samverkan.PoliceArea {
	return samverkan.PoliceArea{ID: r.ID, Name: r.Name, PoliceRegion: r.PoliceRegion, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func fromPoliceArea(p *samverkan.PoliceArea) policeAreaRow {
	return policeAreaRow{ID: p.ID, Name: p.Name, PoliceRegion: p.PoliceRegion, Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

func toMunicipality(r municipalityRow) samverkan.Municipality {
	return samverkan.Municipality{Code: r.Code, Name: r.Name, County: r.County, PoliceAreaID: str(r.PoliceAreaID),
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func fromMunicipality(m *samverkan.Municipality) municipalityRow {
	return municipalityRow{Code: m.Code, Name: m.Name, County: m.County, PoliceAreaID: optStr(m.PoliceAreaID),
		Version: m.Version, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

func toForum(r forumRow) samverkan.Forum {
	return samverkan.Forum{ID: r.ID, MunicipalityCode: r.MunicipalityCode, PoliceAreaID: str(r.PoliceAreaID), Code: r.Code, Name: r.Name,
		Level: r.Level, Scope: r.Scope, Description: r.Description, Participants: r.Participants.V, Cadence: r.Cadence,
		ExternalRef: str(r.ExternalRef), Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func fromForum(f *samverkan.Forum) forumRow {
	return forumRow{ID: f.ID, MunicipalityCode: f.MunicipalityCode, PoliceAreaID: optStr(f.PoliceAreaID), Code: f.Code, Name: f.Name,
		Level: f.Level, Scope: f.Scope, Description: f.Description, Participants: listCol[string]{f.Participants}, Cadence: f.Cadence,
		ExternalRef: optStr(f.ExternalRef), Version: f.Version, CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt}
}

func toMeeting(r meetingRow) samverkan.Meeting {
	return samverkan.Meeting{ID: r.ID, ForumID: r.ForumID, HeldOn: r.HeldOn.T, Title: r.Title, Summary: r.Summary,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func fromMeeting(m *samverkan.Meeting) meetingRow {
	return meetingRow{ID: m.ID, ForumID: m.ForumID, HeldOn: dayOf(m.HeldOn), Title: m.Title, Summary: m.Summary,
		Version: m.Version, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

func toAgreement(r agreementRow) samverkan.Agreement {
	return samverkan.Agreement{
		ID: r.ID, Parties: samverkan.Parties{MunicipalityCode: r.MunicipalityCode, PoliceAreaID: r.PoliceAreaID},
		Title: r.Title, ValidFrom: r.ValidFrom.T, ValidTo: r.ValidTo.T, Purpose: r.Purpose, Goal: r.Goal,
		CooperationModel: r.CooperationModel, DataSources: r.DataSources.V, Signatories: r.Signatories.V,
		SignedPlace: r.SignedPlace, SignedOn: r.SignedOn.ptr(), Adoption: r.Adoption.V, Documents: r.Documents.V,
		ReplacesID: r.ReplacesID, ExternalRef: str(r.ExternalRef), Status: samverkan.AgreementStatus(r.Status),
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

func fromAgreement(a *samverkan.Agreement) agreementRow {
	return agreementRow{
		ID: a.ID, MunicipalityCode: a.MunicipalityCode, PoliceAreaID: a.PoliceAreaID, Title: a.Title,
		ValidFrom: dayOf(a.ValidFrom), ValidTo: dayOf(a.ValidTo), Purpose: a.Purpose, Goal: a.Goal,
		CooperationModel: a.CooperationModel, DataSources: listCol[string]{a.DataSources},
		Signatories: listCol[samverkan.Signatory]{a.Signatories}, SignedPlace: a.SignedPlace, SignedOn: dateOf(a.SignedOn),
		Adoption: jsonCol[*samverkan.Adoption]{a.Adoption}, Documents: listCol[samverkan.Document]{a.Documents},
		ReplacesID: a.ReplacesID, ExternalRef: optStr(a.ExternalRef), Status: string(a.Status),
		Version: a.Version, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
	}
}

func toPriorityArea(r priorityAreaRow) samverkan.PriorityArea {
	return samverkan.PriorityArea{ID: r.ID, Position: r.Position, Title: r.Title, Description: r.Description, ExternalRef: str(r.ExternalRef)}
}

func fromPriorityArea(agreementID uuid.UUID, p samverkan.PriorityArea) priorityAreaRow {
	return priorityAreaRow{ID: p.ID, AgreementID: agreementID, Position: p.Position, Title: p.Title, Description: p.Description, ExternalRef: optStr(p.ExternalRef)}
}

func toPromisePeriod(r promisePeriodRow) samverkan.PromisePeriod {
	return samverkan.PromisePeriod{
		ID: r.ID, Parties: samverkan.Parties{MunicipalityCode: r.MunicipalityCode, PoliceAreaID: r.PoliceAreaID},
		AgreementID: r.AgreementID, Title: r.Title, StartYear: r.StartYear, EndYear: r.EndYear, Summary: r.Summary,
		SignedOn: r.SignedOn.ptr(), Signatories: r.Signatories.V, Documents: r.Documents.V, ExternalRef: str(r.ExternalRef),
		Status: samverkan.PublicationStatus(r.Status), PublishedAt: r.PublishedAt,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

func fromPromisePeriod(p *samverkan.PromisePeriod) promisePeriodRow {
	return promisePeriodRow{
		ID: p.ID, MunicipalityCode: p.MunicipalityCode, PoliceAreaID: p.PoliceAreaID, AgreementID: p.AgreementID,
		Title: p.Title, StartYear: p.StartYear, EndYear: p.EndYear, Summary: p.Summary, SignedOn: dateOf(p.SignedOn),
		Signatories: listCol[samverkan.Signatory]{p.Signatories}, Documents: listCol[samverkan.Document]{p.Documents},
		ExternalRef: optStr(p.ExternalRef), Status: string(p.Status), PublishedAt: p.PublishedAt,
		Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
	}
}

func toPromise(r promiseRow) samverkan.Promise {
	return samverkan.Promise{ID: r.ID, Position: r.Position, Text: r.Text, ExternalRef: str(r.ExternalRef)}
}

func fromPromise(periodID uuid.UUID, p samverkan.Promise) promiseRow {
	return promiseRow{ID: p.ID, PromisePeriodID: periodID, Position: p.Position, Text: p.Text, ExternalRef: optStr(p.ExternalRef)}
}

func toActivity(r activityRow) samverkan.Activity {
	return samverkan.Activity{
		ID: r.ID, AgreementID: r.AgreementID, PromisePeriodID: r.PromisePeriodID,
		Parties: samverkan.Parties{MunicipalityCode: r.MunicipalityCode, PoliceAreaID: r.PoliceAreaID}, Public: r.Public,
		Description: r.Description, Position: r.Position, ResponsibleParty: samverkan.ResponsibleParty(r.ResponsibleParty),
		Partners: r.Partners.V, Method: r.Method, Recurrence: samverkan.Recurrence(r.Recurrence),
		StartsOn: r.StartsOn.ptr(), EndsOn: r.EndsOn.ptr(), Status: samverkan.ActivityStatus(r.Status),
		ExternalRef: str(r.ExternalRef), Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		PriorityAreaIDs: []uuid.UUID{}, PromiseIDs: []uuid.UUID{},
	}
}

func fromActivity(a *samverkan.Activity) activityRow {
	list := a.AgreementID
	if list == nil {
		list = a.PromisePeriodID
	}
	return activityRow{
		ID: a.ID, AgreementID: a.AgreementID, PromisePeriodID: a.PromisePeriodID, ListID: *list,
		MunicipalityCode: a.Parties.MunicipalityCode, PoliceAreaID: a.Parties.PoliceAreaID, Public: a.Public,
		Description: a.Description, Position: a.Position, ResponsibleParty: string(a.ResponsibleParty),
		Partners: listCol[string]{a.Partners}, Method: a.Method, Recurrence: string(a.Recurrence),
		StartsOn: dateOf(a.StartsOn), EndsOn: dateOf(a.EndsOn), Status: string(a.Status),
		ExternalRef: optStr(a.ExternalRef), Version: a.Version, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
	}
}

func toFollowUp(r followUpRow) samverkan.FollowUp {
	return samverkan.FollowUp{
		ID: r.ID, PromisePeriodID: r.PromisePeriodID, AgreementID: r.AgreementID,
		Parties: samverkan.Parties{MunicipalityCode: r.MunicipalityCode, PoliceAreaID: r.PoliceAreaID},
		Kind:    samverkan.FollowUpKind(r.Kind), Title: r.Title, ReportedOn: r.ReportedOn.ptr(), MeetingID: r.MeetingID,
		CoversFrom: r.CoversFrom.ptr(), CoversTo: r.CoversTo.ptr(), Summary: r.Summary,
		PromiseAssessments: r.PromiseAssessments.V, ActivityStatuses: r.ActivityStatuses.V, Documents: r.Documents.V,
		ExternalRef: str(r.ExternalRef), Status: samverkan.PublicationStatus(r.Status), PublishedAt: r.PublishedAt,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

func fromFollowUp(f *samverkan.FollowUp) followUpRow {
	return followUpRow{
		ID: f.ID, PromisePeriodID: f.PromisePeriodID, AgreementID: f.AgreementID,
		MunicipalityCode: f.Parties.MunicipalityCode, PoliceAreaID: f.Parties.PoliceAreaID,
		Kind: string(f.Kind), Title: f.Title, ReportedOn: dateOf(f.ReportedOn), MeetingID: f.MeetingID,
		CoversFrom: dateOf(f.CoversFrom), CoversTo: dateOf(f.CoversTo), Summary: f.Summary,
		PromiseAssessments: listCol[samverkan.PromiseAssessment]{f.PromiseAssessments},
		ActivityStatuses:   listCol[samverkan.ActivityStatusReport]{f.ActivityStatuses},
		Documents:          listCol[samverkan.Document]{f.Documents},
		ExternalRef:        optStr(f.ExternalRef), Status: string(f.Status), PublishedAt: f.PublishedAt,
		Version: f.Version, CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt,
	}
}
