// Package activityfile reads activity lists from spreadsheets, CSV and Excel workbooks, as
// municipal officers keep them, and writes the templates they start from. It knows the
// columns and their meaning; what the rows may do is the domain's business.
package activityfile

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// Column is one column of the activity list.
type Column struct {
	Name    string // the header, as in the template
	Help    string // what goes in it, in Swedish, for the template's second sheet
	Example string
	set     func(a *samverkan.ImportActivity, value string) string // returns a problem, or ""
}

// Columns of an activity list, in template order. Only ref and description are required.
var Columns = []Column{
	{"ref", "Er egen stabila nyckel för raden (obligatorisk), t.ex. strangnas-2026-aktivitet-01.", "strangnas-2026-aktivitet-01",
		func(a *samverkan.ImportActivity, v string) string { a.Activity.ExternalRef = v; return refProblem(v) }},
	{"description", "Vad som ska göras (obligatorisk).", "Genomföra trygghetsvandringar med olika målgrupper och på olika ställen i kommunen.",
		func(a *samverkan.ImportActivity, v string) string {
			a.Activity.Description = v
			return first(required(v), longest(v, samverkan.MaxActivityDescription))
		}},
	{"priorityAreaRefs", "De prioriterade områden aktiviteten tjänar, med sina ref, åtskilda av mellanslag.", "strangnas-2023-2026-pa-2",
		func(a *samverkan.ImportActivity, v string) string {
			a.PriorityAreaRefs = strings.Fields(v)
			return refList(a.PriorityAreaRefs)
		}},
	{"promiseRefs", "De medborgarlöften aktiviteten hör till, med sina ref, åtskilda av mellanslag.", "",
		func(a *samverkan.ImportActivity, v string) string {
			a.PromiseRefs = strings.Fields(v)
			return refList(a.PromiseRefs)
		}},
	{"responsibleParty", "Ansvarig part: police, municipality eller joint.", "joint",
		oneOf(func(a *samverkan.ImportActivity, v string) {
			a.Activity.ResponsibleParty = samverkan.ResponsibleParty(v)
		}, names(samverkan.ResponsibleParties)...)},
	{"partners", "Samverkanspartner utöver parterna, åtskilda av kommatecken.", "fältare, bevakningsföretag",
		func(a *samverkan.ImportActivity, v string) string {
			a.Activity.Partners = splitList(v)
			if len(a.Activity.Partners) > samverkan.MaxActivityPartners {
				return fmt.Sprintf("names more than %d partners", samverkan.MaxActivityPartners)
			}
			for _, p := range a.Activity.Partners {
				if msg := longest(p, samverkan.MaxShortText); msg != "" {
					return "a partner " + msg
				}
			}
			return ""
		}},
	{"method", "Metod med namn, t.ex. Grannsamverkan eller Trygghetsvandring.", "Trygghetsvandring",
		func(a *samverkan.ImportActivity, v string) string {
			a.Activity.Method = v
			return longest(v, samverkan.MaxActivityMethod)
		}},
	{"recurrence", "Hur ofta: once, recurring, yearly, at_events eller continuous.", "yearly",
		oneOf(func(a *samverkan.ImportActivity, v string) { a.Activity.Recurrence = samverkan.Recurrence(v) }, names(samverkan.Recurrences)...)},
	{"startsOn", "Startdatum, ÅÅÅÅ-MM-DD.", "2026-03-01",
		func(a *samverkan.ImportActivity, v string) string { return date(v, &a.Activity.StartsOn) }},
	{"endsOn", "Slutdatum, ÅÅÅÅ-MM-DD.", "",
		func(a *samverkan.ImportActivity, v string) string { return date(v, &a.Activity.EndsOn) }},
	{"status", "Läge: planned, ongoing, completed, postponed eller cancelled.", "planned",
		oneOf(func(a *samverkan.ImportActivity, v string) { a.Activity.Status = samverkan.ActivityStatus(v) }, names(samverkan.ActivityStatuses)...)},
}

// The same rules the contract sets for JSON imports, checked here so that they are reported
// by row and column.
var refPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]*$`)

func refProblem(v string) string {
	switch {
	case v == "":
		return "must not be empty"
	case len(v) > 120 || !refPattern.MatchString(v):
		return "must be at most 120 letters A–Z, digits and . _ : - (no spaces, no å ä ö), starting with a letter or digit"
	}
	return ""
}

func refList(refs []string) string {
	if len(refs) > samverkan.MaxActivityLinks {
		return fmt.Sprintf("names more than %d refs", samverkan.MaxActivityLinks)
	}
	seen := map[string]bool{}
	for _, r := range refs {
		if msg := refProblem(r); msg != "" {
			return "the ref " + strconv.Quote(r) + " " + msg
		}
		if seen[r] {
			return "names " + strconv.Quote(r) + " twice"
		}
		seen[r] = true
	}
	return ""
}

func longest(v string, n int) string {
	if utf8.RuneCountInString(v) > n {
		return "must be at most " + strconv.Itoa(n) + " characters"
	}
	return ""
}

func first(problems ...string) string {
	for _, p := range problems {
		if p != "" {
			return p
		}
	}
	return ""
}

func required(v string) string {
	if v == "" {
		return "must not be empty"
	}
	return ""
}

// names are the values of one of the domain's enumerations, as a cell writes them.
func names[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

func oneOf(set func(*samverkan.ImportActivity, string), allowed ...string) func(*samverkan.ImportActivity, string) string {
	return func(a *samverkan.ImportActivity, v string) string {
		if v == "" {
			return ""
		}
		for _, ok := range allowed {
			if v == ok {
				set(a, v)
				return ""
			}
		}
		return "must be one of " + strings.Join(allowed, ", ")
	}
}

// date reads a date cell: text written YYYY-MM-DD. A number is not a date here, whatever day
// Excel would count it as: 2026 is a year someone typed. ReadXLSX has already written the
// numbers a workbook shows as dates as such text; in CSV, Excel saves dates as text.
func date(v string, into **time.Time) string {
	if v == "" {
		return ""
	}
	t, err := samverkan.ParseDate(v)
	if err != nil {
		return err.Error()
	}
	*into = &t
	return ""
}

func splitList(v string) []string {
	var out []string
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
