package httpapi

import (
	"time"

	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/internal/samverkan"
)

// Conversions between the contract's types (package api) and the domain's. Only this file
// knows both.

func dateIn(d openapi_types.Date) *time.Time {
	if d.IsZero() {
		return nil
	}
	t := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	return &t
}

func dayIn(d openapi_types.Date) time.Time { return *dateIn(d) }

func dateOut(t *time.Time) openapi_types.Date {
	if t == nil {
		return openapi_types.Date{}
	}
	return openapi_types.Date{Time: *t}
}

func idIn(u openapi_types.UUID) *uuid.UUID {
	if u == uuid.Nil {
		return nil
	}
	return &u
}

func idOut(u *uuid.UUID) openapi_types.UUID {
	if u == nil {
		return uuid.Nil
	}
	return *u
}

func timeOut(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

func list[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func mapList[A, B any](in []A, f func(A) B) []B {
	out := make([]B, len(in))
	for i, a := range in {
		out[i] = f(a)
	}
	return out
}

func signatoriesIn(in []api.Signatory) []samverkan.Signatory {
	return mapList(in, func(s api.Signatory) samverkan.Signatory {
		return samverkan.Signatory{Name: s.Name, Role: s.Role, Party: samverkan.Party(s.Party)}
	})
}

func signatoriesOut(in []samverkan.Signatory) []api.Signatory {
	return mapList(in, func(s samverkan.Signatory) api.Signatory {
		return api.Signatory{Name: s.Name, Role: s.Role, Party: api.Party(s.Party)}
	})
}

func documentsIn(in []api.Document) []samverkan.Document {
	return mapList(in, func(d api.Document) samverkan.Document {
		doc := samverkan.Document{Title: d.Title, URL: d.Url, MediaType: d.MediaType}
		if d.SizeBytes > 0 {
			n := d.SizeBytes
			doc.SizeBytes = &n
		}
		return doc
	})
}

func documentsOut(in []samverkan.Document) []api.Document {
	return mapList(in, func(d samverkan.Document) api.Document {
		out := api.Document{Title: d.Title, Url: d.URL, MediaType: d.MediaType}
		if d.SizeBytes != nil {
			out.SizeBytes = *d.SizeBytes
		}
		return out
	})
}

func adoptionIn(a api.Adoption) *samverkan.Adoption {
	if a.Body == "" {
		return nil
	}
	return &samverkan.Adoption{Body: a.Body, DecidedOn: dayIn(a.DecidedOn), Reference: a.Reference}
}

func adoptionOut(a *samverkan.Adoption) api.Adoption {
	if a == nil {
		return api.Adoption{}
	}
	return api.Adoption{Body: a.Body, DecidedOn: openapi_types.Date{Time: a.DecidedOn}, Reference: a.Reference}
}

func municipalityIn(in api.MunicipalityInput) samverkan.Municipality {
	return samverkan.Municipality{Code: in.Code, Name: in.Name, County: in.County, PoliceAreaID: in.PoliceAreaId}
}

func municipalityOut(m *samverkan.Municipality) api.Municipality {
	return api.Municipality{Code: m.Code, Name: m.Name, County: m.County, PoliceAreaId: m.PoliceAreaID,
		Version: m.Version, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

func policeAreaIn(in api.PoliceAreaInput) samverkan.PoliceArea {
	return samverkan.PoliceArea{ID: in.Id, Name: in.Name, PoliceRegion: in.PoliceRegion}
}

func policeAreaOut(p *samverkan.PoliceArea) api.PoliceArea {
	return api.PoliceArea{Id: p.ID, Name: p.Name, PoliceRegion: p.PoliceRegion, Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

func agreementIn(in api.AgreementInput) samverkan.Agreement {
	return samverkan.Agreement{
		Parties: samverkan.Parties{MunicipalityCode: in.MunicipalityCode, PoliceAreaID: in.PoliceAreaId},
		Title:   in.Title, ValidFrom: dayIn(in.ValidFrom), ValidTo: dayIn(in.ValidTo),
		Purpose: in.Purpose, Goal: in.Goal, CooperationModel: in.CooperationModel,
		PriorityAreas: mapList(in.PriorityAreas, func(p api.PriorityAreaInput) samverkan.PriorityArea {
			return samverkan.PriorityArea{ID: p.Id, Title: p.Title, Description: p.Description, ExternalRef: p.ExternalRef}
		}),
		ForumIDs: list(in.ForumIds), DataSources: list(in.DataSources), Signatories: signatoriesIn(in.Signatories),
		SignedPlace: in.SignedPlace, SignedOn: dateIn(in.SignedOn), Adoption: adoptionIn(in.Adoption),
		Documents: documentsIn(in.Documents), ReplacesID: idIn(in.ReplacesAgreementId), ExternalRef: in.ExternalRef,
	}
}

func priorityAreasOut(in []samverkan.PriorityArea) []api.PriorityArea {
	return mapList(in, func(p samverkan.PriorityArea) api.PriorityArea {
		return api.PriorityArea{Id: p.ID, Position: p.Position, Title: p.Title, Description: p.Description, ExternalRef: p.ExternalRef}
	})
}

func agreementOut(a *samverkan.Agreement, now time.Time) api.Agreement {
	return api.Agreement{
		Id: a.ID, MunicipalityCode: a.MunicipalityCode, PoliceAreaId: a.PoliceAreaID, Title: a.Title,
		ValidFrom: openapi_types.Date{Time: a.ValidFrom}, ValidTo: openapi_types.Date{Time: a.ValidTo},
		Purpose: a.Purpose, Goal: a.Goal, CooperationModel: a.CooperationModel,
		PriorityAreas: priorityAreasOut(a.PriorityAreas), ForumIds: list(a.ForumIDs), DataSources: list(a.DataSources),
		Signatories: signatoriesOut(a.Signatories), SignedPlace: a.SignedPlace, SignedOn: dateOut(a.SignedOn),
		Adoption: adoptionOut(a.Adoption), Documents: documentsOut(a.Documents), ReplacesAgreementId: idOut(a.ReplacesID),
		ExternalRef: a.ExternalRef, Status: api.AgreementStatus(a.Status), Phase: api.AgreementPhase(a.Phase(now)),
		InForce: a.InForce(now), Version: a.Version, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
	}
}

func promisePeriodIn(in api.PromisePeriodInput) samverkan.PromisePeriod {
	return samverkan.PromisePeriod{
		Parties:     samverkan.Parties{MunicipalityCode: in.MunicipalityCode, PoliceAreaID: in.PoliceAreaId},
		AgreementID: idIn(in.AgreementId), Title: in.Title, StartYear: in.StartYear, EndYear: in.EndYear,
		Summary: in.Summary, SignedOn: dateIn(in.SignedOn), Signatories: signatoriesIn(in.Signatories),
		Promises: mapList(in.Promises, func(p api.PromiseInput) samverkan.Promise {
			return samverkan.Promise{ID: p.Id, Text: p.Text, ExternalRef: p.ExternalRef}
		}),
		Documents: documentsIn(in.Documents), ExternalRef: in.ExternalRef,
	}
}

func promisePeriodOut(p *samverkan.PromisePeriod, now time.Time) api.PromisePeriod {
	return api.PromisePeriod{
		Id: p.ID, MunicipalityCode: p.MunicipalityCode, PoliceAreaId: p.PoliceAreaID, AgreementId: idOut(p.AgreementID),
		Title: p.Title, StartYear: p.StartYear, EndYear: p.EndYear, Summary: p.Summary, SignedOn: dateOut(p.SignedOn),
		Signatories: signatoriesOut(p.Signatories),
		Promises: mapList(p.Promises, func(x samverkan.Promise) api.Promise {
			return api.Promise{Id: x.ID, Position: x.Position, Text: x.Text, ExternalRef: x.ExternalRef}
		}),
		Documents: documentsOut(p.Documents), ExternalRef: p.ExternalRef, Status: api.PublicationStatus(p.Status),
		InForce: p.InForce(now), PublishedAt: timeOut(p.PublishedAt), Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
	}
}

func activityIn(in api.ActivityInput) samverkan.Activity {
	return samverkan.Activity{
		AgreementID: idIn(in.AgreementId), PromisePeriodID: idIn(in.PromisePeriodId), Description: in.Description,
		Position: in.Position, PriorityAreaIDs: list(in.PriorityAreaIds), PromiseIDs: list(in.PromiseIds),
		ResponsibleParty: samverkan.ResponsibleParty(in.ResponsibleParty), Partners: list(in.Partners), Method: in.Method,
		Recurrence: samverkan.Recurrence(in.Recurrence), StartsOn: dateIn(in.StartsOn), EndsOn: dateIn(in.EndsOn),
		Status: samverkan.ActivityStatus(in.Status), ExternalRef: in.ExternalRef,
	}
}

func activityOut(a *samverkan.Activity) api.Activity {
	return api.Activity{
		Id: a.ID, AgreementId: idOut(a.AgreementID), PromisePeriodId: idOut(a.PromisePeriodID), Description: a.Description,
		Position: a.Position, PriorityAreaIds: list(a.PriorityAreaIDs), PromiseIds: list(a.PromiseIDs),
		ResponsibleParty: api.ResponsibleParty(a.ResponsibleParty), Partners: list(a.Partners), Method: a.Method,
		Recurrence: api.Recurrence(a.Recurrence), StartsOn: dateOut(a.StartsOn), EndsOn: dateOut(a.EndsOn),
		Status: api.ActivityStatus(a.Status), ExternalRef: a.ExternalRef, Version: a.Version, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
	}
}

func forumIn(in api.ForumInput) samverkan.Forum {
	return samverkan.Forum{
		MunicipalityCode: in.MunicipalityCode, PoliceAreaID: in.PoliceAreaId, Code: in.Code, Name: in.Name,
		Level: string(in.Level), Scope: string(in.Scope), Description: in.Description, Participants: list(in.Participants),
		Cadence: in.Cadence, ExternalRef: in.ExternalRef,
	}
}

func forumOut(f *samverkan.Forum) api.Forum {
	return api.Forum{
		Id: f.ID, MunicipalityCode: f.MunicipalityCode, PoliceAreaId: f.PoliceAreaID, Code: f.Code, Name: f.Name, Level: api.ForumLevel(f.Level),
		Scope: api.ForumScope(f.Scope), Description: f.Description, Participants: list(f.Participants), Cadence: f.Cadence,
		ExternalRef: f.ExternalRef, Version: f.Version, CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt,
	}
}

func meetingIn(in api.MeetingInput) samverkan.Meeting {
	return samverkan.Meeting{HeldOn: dayIn(in.HeldOn), Title: in.Title, Summary: in.Summary}
}

func meetingOut(m *samverkan.Meeting) api.Meeting {
	return api.Meeting{Id: m.ID, ForumId: m.ForumID, HeldOn: openapi_types.Date{Time: m.HeldOn}, Title: m.Title, Summary: m.Summary,
		Version: m.Version, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

func followUpIn(in api.FollowUpInput) samverkan.FollowUp {
	return samverkan.FollowUp{
		PromisePeriodID: idIn(in.PromisePeriodId), AgreementID: idIn(in.AgreementId), Kind: samverkan.FollowUpKind(in.Kind),
		Title: in.Title, ReportedOn: dateIn(in.ReportedOn), MeetingID: idIn(in.MeetingId), CoversFrom: dateIn(in.CoversFrom),
		CoversTo: dateIn(in.CoversTo), Summary: in.Summary,
		PromiseAssessments: mapList(in.PromiseAssessments, func(a api.PromiseAssessment) samverkan.PromiseAssessment {
			return samverkan.PromiseAssessment{PromiseID: a.PromiseId, Assessment: string(a.Assessment), Comment: a.Comment}
		}),
		ActivityStatuses: mapList(in.ActivityStatuses, func(a api.ActivityStatusReport) samverkan.ActivityStatusReport {
			return samverkan.ActivityStatusReport{ActivityID: a.ActivityId, Status: samverkan.ActivityStatus(a.Status), Comment: a.Comment}
		}),
		Documents: documentsIn(in.Documents), ExternalRef: in.ExternalRef,
	}
}

func followUpOut(f *samverkan.FollowUp) api.FollowUp {
	return api.FollowUp{
		Id: f.ID, PromisePeriodId: idOut(f.PromisePeriodID), AgreementId: idOut(f.AgreementID), Kind: api.FollowUpKind(f.Kind),
		Title: f.Title, ReportedOn: dateOut(f.ReportedOn), MeetingId: idOut(f.MeetingID), CoversFrom: dateOut(f.CoversFrom),
		CoversTo: dateOut(f.CoversTo), Summary: f.Summary,
		PromiseAssessments: mapList(f.PromiseAssessments, func(a samverkan.PromiseAssessment) api.PromiseAssessment {
			return api.PromiseAssessment{PromiseId: a.PromiseID, Assessment: api.PromiseAssessmentValue(a.Assessment), Comment: a.Comment}
		}),
		ActivityStatuses: mapList(f.ActivityStatuses, func(a samverkan.ActivityStatusReport) api.ActivityStatusReport {
			return api.ActivityStatusReport{ActivityId: a.ActivityID, Status: api.ActivityStatus(a.Status), Comment: a.Comment}
		}),
		Documents: documentsOut(f.Documents), ExternalRef: f.ExternalRef, Status: api.PublicationStatus(f.Status),
		PublishedAt: timeOut(f.PublishedAt), Version: f.Version, CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt,
	}
}

func importActivitiesIn(in []api.ImportActivity) []samverkan.ImportActivity {
	return mapList(in, func(a api.ImportActivity) samverkan.ImportActivity {
		return samverkan.ImportActivity{
			Activity: samverkan.Activity{
				Description: a.Description, ResponsibleParty: samverkan.ResponsibleParty(a.ResponsibleParty),
				Partners: list(a.Partners), Method: a.Method, Recurrence: samverkan.Recurrence(a.Recurrence),
				StartsOn: dateIn(a.StartsOn), EndsOn: dateIn(a.EndsOn), Status: samverkan.ActivityStatus(a.Status), ExternalRef: a.Ref,
				PriorityAreaIDs: []uuid.UUID{}, PromiseIDs: []uuid.UUID{},
			},
			PriorityAreaRefs: a.PriorityAreaRefs, PromiseRefs: a.PromiseRefs,
		}
	})
}

// importIn converts an import document; the refs become the records' external refs.
func importIn(in api.ImportDocument) samverkan.ImportDocument {
	return samverkan.ImportDocument{
		PoliceAreas:    mapList(in.PoliceAreas, policeAreaIn),
		Municipalities: mapList(in.Municipalities, municipalityIn),
		Forums: mapList(in.Forums, func(f api.ImportForum) samverkan.Forum {
			return samverkan.Forum{MunicipalityCode: f.MunicipalityCode, PoliceAreaID: f.PoliceAreaId, Code: f.Code, Name: f.Name,
				Level: string(f.Level), Scope: string(f.Scope), Description: f.Description, Participants: list(f.Participants),
				Cadence: f.Cadence, ExternalRef: f.Ref}
		}),
		Agreements: mapList(in.Agreements, func(a api.ImportAgreement) samverkan.ImportAgreement {
			return samverkan.ImportAgreement{
				Agreement: samverkan.Agreement{
					Parties: samverkan.Parties{MunicipalityCode: a.MunicipalityCode, PoliceAreaID: a.PoliceAreaId},
					Title:   a.Title, ValidFrom: dayIn(a.ValidFrom), ValidTo: dayIn(a.ValidTo), Purpose: a.Purpose, Goal: a.Goal,
					CooperationModel: a.CooperationModel,
					PriorityAreas: mapList(a.PriorityAreas, func(p api.ImportPriorityArea) samverkan.PriorityArea {
						return samverkan.PriorityArea{Title: p.Title, Description: p.Description, ExternalRef: p.Ref}
					}),
					ForumIDs: []uuid.UUID{}, DataSources: list(a.DataSources), Signatories: signatoriesIn(a.Signatories),
					SignedPlace: a.SignedPlace, SignedOn: dateIn(a.SignedOn), Adoption: adoptionIn(a.Adoption),
					Documents: documentsIn(a.Documents), ExternalRef: a.Ref,
				},
				ForumRefs: a.ForumRefs, ReplacesRef: a.ReplacesRef, Status: samverkan.AgreementStatus(a.Status),
				ActionPlan: importActivitiesIn(a.ActionPlan),
			}
		}),
		PromisePeriods: mapList(in.PromisePeriods, func(p api.ImportPromisePeriod) samverkan.ImportPromisePeriod {
			return samverkan.ImportPromisePeriod{
				PromisePeriod: samverkan.PromisePeriod{
					Parties: samverkan.Parties{MunicipalityCode: p.MunicipalityCode, PoliceAreaID: p.PoliceAreaId},
					Title:   p.Title, StartYear: p.StartYear, EndYear: p.EndYear, Summary: p.Summary, SignedOn: dateIn(p.SignedOn),
					Signatories: signatoriesIn(p.Signatories),
					Promises: mapList(p.Promises, func(x api.ImportPromise) samverkan.Promise {
						return samverkan.Promise{Text: x.Text, ExternalRef: x.Ref}
					}),
					Documents: documentsIn(p.Documents), ExternalRef: p.Ref,
				},
				AgreementRef: p.AgreementRef, Status: samverkan.PublicationStatus(p.Status), Activities: importActivitiesIn(p.Activities),
			}
		}),
		FollowUps: mapList(in.FollowUps, func(f api.ImportFollowUp) samverkan.ImportFollowUp {
			out := samverkan.ImportFollowUp{
				FollowUp: samverkan.FollowUp{Kind: samverkan.FollowUpKind(f.Kind), Title: f.Title, ReportedOn: dateIn(f.ReportedOn),
					CoversFrom: dateIn(f.CoversFrom), CoversTo: dateIn(f.CoversTo), Summary: f.Summary,
					Documents: documentsIn(f.Documents), ExternalRef: f.Ref},
				PromisePeriodRef: f.PromisePeriodRef, AgreementRef: f.AgreementRef, Status: samverkan.PublicationStatus(f.Status),
			}
			for _, a := range f.PromiseAssessments {
				out.Assessments = append(out.Assessments, samverkan.ImportAssessment{PromiseRef: a.PromiseRef, Assessment: string(a.Assessment), Comment: a.Comment})
			}
			for _, a := range f.ActivityStatuses {
				out.ActivityStatuses = append(out.ActivityStatuses, samverkan.ImportActivityStatus{ActivityRef: a.ActivityRef, Status: samverkan.ActivityStatus(a.Status), Comment: a.Comment})
			}
			return out
		}),
	}
}

func activitiesOut(in []samverkan.Activity) []api.Activity {
	return mapList(in, func(a samverkan.Activity) api.Activity { return activityOut(&a) })
}
