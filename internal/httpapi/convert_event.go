package httpapi

import (
	"encoding/json"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/internal/samverkan"
)

// Conversions of history, events, webhooks and deliveries to the contract's types.

// recordPaths is where each kind of record lives in the API.
var recordPaths = map[string]string{
	samverkan.RecordMunicipality:  "/v1/municipalities/",
	samverkan.RecordPoliceArea:    "/v1/police-areas/",
	samverkan.RecordAgreement:     "/v1/agreements/",
	samverkan.RecordPromisePeriod: "/v1/promise-periods/",
	samverkan.RecordActivity:      "/v1/activities/",
	samverkan.RecordForum:         "/v1/forums/",
	samverkan.RecordMeeting:       "/v1/meetings/",
	samverkan.RecordFollowUp:      "/v1/follow-ups/",
	samverkan.RecordWebhook:       "/v1/webhooks/",
}

// eventOut shows an event to a caller: everyone sees who made a change by role and
// organization; the token's name is for the record's parties and admins, its id for admins.
// A webhook receiver (nil) is shown what everyone sees.
func eventOut(e *samverkan.Event, to *samverkan.Principal) api.Event {
	actor := api.EventActor{Role: api.EventActorRole(e.Actor.Role)}
	if e.Actor.OrgType != "" {
		actor.Organization = api.OrganizationRef{Type: api.OrganizationRefType(e.Actor.OrgType), Id: e.Actor.OrgID}
	}
	if to.CanSeeDrafts(e.Parties) {
		actor.Name = e.Actor.Name
	}
	if to != nil && to.Role == samverkan.RoleAdmin {
		actor.TokenId = e.Actor.TokenID
	}
	return api.Event{
		Id: e.ID, Sequence: e.Seq, Type: api.EventType(e.Type), Operation: api.EventOperation(e.Op), OccurredAt: e.At,
		Resource: api.EventResource{Type: api.RecordKind(e.Kind), Id: e.EntityID, MunicipalityCode: e.Parties.MunicipalityCode,
			PoliceAreaId: e.Parties.PoliceAreaID, Href: recordPaths[e.Kind] + e.EntityID},
		Actor: actor, Public: e.Public, Data: e.Data,
		Changes: mapList(e.Changes, func(c samverkan.PatchOp) api.PatchOperation {
			return api.PatchOperation{Op: api.PatchOperationOp(c.Op), Path: c.Path, Value: c.Value, Previous: c.Previous}
		}),
	}
}

func eventsOut(es []samverkan.Event, to *samverkan.Principal) []api.Event {
	return mapList(es, func(e samverkan.Event) api.Event { return eventOut(&e, to) })
}

// WebhookBody is the body a webhook delivery carries: the event as the change feed shows it
// to anyone.
func WebhookBody(e *samverkan.Event) ([]byte, error) {
	return json.Marshal(eventOut(e, nil))
}

func webhookIn(in api.WebhookInput) samverkan.Webhook {
	active := true
	if in.Active != nil {
		active = *in.Active
	}
	return samverkan.Webhook{URL: in.Url, Description: in.Description, Active: active,
		EventTypes:        mapList(in.EventTypes, func(s api.WebhookEventSelector) string { return string(s) }),
		MunicipalityCodes: mapList(in.MunicipalityCodes, func(c api.MunicipalityCode) string { return string(c) })}
}

func webhookOut(w *samverkan.Webhook) api.Webhook {
	out := api.Webhook{Id: w.ID, Url: w.URL, EventTypes: list(w.EventTypes), MunicipalityCodes: list(w.MunicipalityCodes),
		Description: w.Description, Active: w.Active, CreatedBy: w.CreatedBy, ConsecutiveFailures: w.FailureStreak,
		PausedUntil: timeOut(w.PausedUntil), Version: w.Version, CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt}
	if w.OrgType != "" {
		out.Organization = api.OrganizationRef{Type: api.OrganizationRefType(w.OrgType), Id: w.OrgID}
	}
	return out
}

func webhookWithSecretOut(w *samverkan.Webhook) api.WebhookWithSecret {
	o := webhookOut(w)
	return api.WebhookWithSecret{Id: o.Id, Organization: o.Organization, Url: o.Url, EventTypes: o.EventTypes,
		MunicipalityCodes: o.MunicipalityCodes, Description: o.Description, Active: o.Active, CreatedBy: o.CreatedBy,
		ConsecutiveFailures: o.ConsecutiveFailures, PausedUntil: o.PausedUntil,
		Version: o.Version, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Secret: w.Secret}
}

// deliveryOut shows a delivery; withEvent adds the event it carries, as it was sent.
func deliveryOut(d *samverkan.Delivery, to *samverkan.Principal, withEvent bool) api.WebhookDelivery {
	e := eventOut(&d.Event, to)
	out := api.WebhookDelivery{Id: d.ID, WebhookId: d.WebhookID, EventId: e.Id, EventType: e.Type, Sequence: d.Seq, Resource: e.Resource,
		State: api.DeliveryState(d.State), AttemptCount: d.AttemptCount, NextAttemptAt: timeOut(d.NextAttemptAt),
		DeliveredAt: timeOut(d.DeliveredAt), CreatedAt: d.CreatedAt,
		Attempts: mapList(d.Attempts, func(a samverkan.DeliveryAttempt) api.WebhookAttempt {
			return api.WebhookAttempt{Number: a.Number, At: a.At, StatusCode: a.StatusCode, Error: a.Error, DurationMs: int(a.Duration.Milliseconds())}
		})}
	if withEvent {
		out.Event = e
	}
	return out
}
