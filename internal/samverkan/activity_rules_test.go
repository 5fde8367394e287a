package samverkan

import (
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestAnActivityChecksEveryLimitItself(t *testing.T) {
	list := uuid.Must(uuid.NewV7())
	valid := func() Activity {
		return Activity{PromisePeriodID: &list, Description: "Trygghetsvandring i Mariefred"}
	}
	ids := func(n int) []uuid.UUID {
		out := make([]uuid.UUID, n)
		for i := range out {
			out[i] = uuid.Must(uuid.NewV7())
		}
		return out
	}
	if err := (&Activity{PromisePeriodID: &list, Description: strings.Repeat("å", MaxActivityDescription),
		Method: strings.Repeat("å", MaxActivityMethod), PriorityAreaIDs: ids(MaxActivityLinks), PromiseIDs: ids(MaxActivityLinks),
		Partners: make([]string, 0), ResponsibleParty: ResponsibleJoint, Recurrence: RecurrenceAtEvents, Status: ActivityOngoing}).Validate(); err != nil {
		t.Fatalf("an activity at every limit: %v", err)
	}
	for pointer, change := range map[string]func(a *Activity){
		"/description":      func(a *Activity) { a.Description = " " },
		"/method":           func(a *Activity) { a.Method = strings.Repeat("å", MaxActivityMethod+1) },
		"/priorityAreaIds":  func(a *Activity) { a.PriorityAreaIDs = ids(MaxActivityLinks + 1) },
		"/promiseIds":       func(a *Activity) { a.PromiseIDs = ids(MaxActivityLinks + 1) },
		"/partners":         func(a *Activity) { a.Partners = make([]string, MaxActivityPartners+1) },
		"/partners/0":       func(a *Activity) { a.Partners = []string{strings.Repeat("å", MaxShortText+1)} },
		"/responsibleParty": func(a *Activity) { a.ResponsibleParty = "mayor" },
		"/recurrence":       func(a *Activity) { a.Recurrence = "weekly" },
		"/status":           func(a *Activity) { a.Status = "done" },
	} {
		a := valid()
		change(&a)
		err := a.Validate()
		e, ok := err.(*Error)
		if !ok || !strings.Contains(fmtFields(e), pointer) {
			t.Errorf("%s: %v, want a problem at %s", pointer, err, pointer)
		}
	}
	long := valid()
	long.Description = strings.Repeat("å", MaxActivityDescription+1)
	if err := long.Validate(); err == nil {
		t.Error("a description over the limit passed")
	}
}

func fmtFields(e *Error) string {
	var b strings.Builder
	for _, f := range e.Fields {
		b.WriteString(f.Pointer + " ")
	}
	return b.String()
}
