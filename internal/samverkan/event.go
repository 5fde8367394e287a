package samverkan

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/wI2L/jsondiff"
)

// Kinds of record, as history, the change feed and webhooks name them.
const (
	RecordMunicipality  = "municipality"
	RecordPoliceArea    = "police_area"
	RecordAgreement     = "agreement"
	RecordPromisePeriod = "promise_period"
	RecordActivity      = "activity"
	RecordForum         = "forum"
	RecordMeeting       = "meeting"
	RecordFollowUp      = "follow_up"
	RecordWebhook       = "webhook"
)

// Op is how a change came about.
type Op string

const (
	OpCreate     Op = "create"
	OpUpdate     Op = "update"
	OpTransition Op = "transition" // a lifecycle step: signing, publishing, archiving…
	OpPublish    Op = "publish"    // an activity became public with its list
	OpDelete     Op = "delete"
	OpBaseline   Op = "baseline" // the state of a record that existed before history was kept
	OpPing       Op = "ping"     // a test event for one webhook
)

// Actor is who made a change, as history keeps it: a token's id, name, role and
// organization, never its secret. The system itself (the command line, the demo loader,
// migrations) acts without a token.
type Actor struct {
	TokenID string
	Name    string
	Role    Role
	OrgType OrgType
	OrgID   string
}

// Actor is the principal as history records it.
func (p *Principal) Actor() Actor {
	if p == nil {
		return Actor{Name: "system", Role: RoleSystem}
	}
	a := Actor{TokenID: p.TokenID, Name: p.TokenName, Role: p.Role, OrgType: p.OrgType, OrgID: p.OrgID}
	if p.TokenID == "" {
		a.Role = RoleSystem
	}
	return a
}

// Event is one committed change of one record: a revision in the record's history, an entry
// of the change feed and the audit trail, and what webhooks deliver.
type Event struct {
	Seq      int64     // commit order
	ID       uuid.UUID // given when it is written, so stable for every reader and delivery
	Type     string    // e.g. "promise_period.published"
	Op       Op
	At       time.Time // when it was committed
	Kind     string
	EntityID string
	Parties  Parties
	Actor    Actor
	Public   bool      // whether the record was public after the change (before it, for a deletion)
	Changes  []PatchOp // from the record before to the record after; empty for creations and deletions
	Data     json.RawMessage
}

func itoa(n int64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// PatchOp is one RFC 6902 operation, with the value it replaced or removed as Previous
// (a member patch tools ignore), so that a reader sees what a field was as well as what it
// became.
type PatchOp struct {
	Op       string          `json:"op"`
	Path     string          `json:"path"`
	Value    json.RawMessage `json:"value,omitempty"`
	Previous json.RawMessage `json:"previous,omitempty"`
}

// Diff is the JSON Patch from before to after. version and updatedAt move with every write,
// and say nothing the event does not say already, so they are left out.
func Diff(before, after []byte) ([]PatchOp, error) {
	patch, err := jsondiff.CompareJSON(before, after, jsondiff.Ignores("/version", "/updatedAt"), jsondiff.UnmarshalFunc(unmarshalNumbers))
	if err != nil {
		return nil, err
	}
	out := make([]PatchOp, 0, len(patch))
	for _, op := range patch {
		p := PatchOp{Op: op.Type, Path: op.Path}
		switch op.Type {
		case jsondiff.OperationAdd, jsondiff.OperationReplace:
			if p.Value, err = json.Marshal(op.Value); err != nil {
				return nil, err
			}
		}
		switch op.Type {
		case jsondiff.OperationRemove, jsondiff.OperationReplace:
			if p.Previous, err = json.Marshal(op.OldValue); err != nil {
				return nil, err
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// unmarshalNumbers keeps numbers exact: a document's size in bytes is an int64.
func unmarshalNumbers(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}

// EventType names what a change did, as webhooks subscribe to it: "kind.created", "kind.updated",
// "kind.deleted", the lifecycle step ("agreement.signed", "promise_period.published"), and
// "activity.status_changed" for an update that moved an activity's status.
func EventType(kind string, op Op, status string, changes []PatchOp) string {
	switch op {
	case OpCreate:
		return kind + ".created"
	case OpDelete:
		return kind + ".deleted"
	case OpPublish:
		return kind + ".published"
	case OpBaseline:
		return kind + ".baseline"
	case OpPing:
		return kind + ".ping"
	case OpTransition:
		if status != "" {
			return kind + "." + status
		}
	}
	if kind == RecordActivity {
		for _, c := range changes {
			if c.Path == "/status" {
				return kind + ".status_changed"
			}
		}
	}
	return kind + ".updated"
}

// EventTypes lists every event type, in the contract's order.
var EventTypes = func() []string {
	var out []string
	add := func(kind string, whats ...string) {
		for _, w := range whats {
			out = append(out, kind+"."+w)
		}
	}
	add(RecordAgreement, "created", "updated", "signed", "adopted", "superseded", "deleted", "baseline")
	add(RecordPromisePeriod, "created", "updated", "published", "archived", "deleted", "baseline")
	add(RecordActivity, "created", "updated", "status_changed", "published", "deleted", "baseline")
	add(RecordFollowUp, "created", "updated", "published", "archived", "deleted", "baseline")
	add(RecordForum, "created", "updated", "deleted", "baseline")
	add(RecordMeeting, "created", "updated", "deleted", "baseline")
	add(RecordMunicipality, "created", "updated", "baseline")
	add(RecordPoliceArea, "created", "updated", "baseline")
	add(RecordWebhook, "created", "updated", "deleted", "ping")
	return out
}()

// MatchesEventType reports whether a webhook's selector ("activity.status_changed",
// "activity.*" or "*") covers an event type.
func MatchesEventType(selector, eventType string) bool {
	if selector == "*" || selector == eventType {
		return true
	}
	kind, ok := strings.CutSuffix(selector, ".*")
	return ok && strings.HasPrefix(eventType, kind+".")
}
