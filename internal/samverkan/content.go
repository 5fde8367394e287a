package samverkan

import (
	"bytes"
	"encoding/json"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Content comparison decides when a write changes nothing: an unchanged PUT keeps the version,
// and an import reports the record unchanged.
// The *Content projections drop what the system sets (ids of the record itself, versions,
// timestamps, status, derived fields) so that an import compares only what a document says.

func sameContent(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func forumContent(f *Forum) any {
	c := *f
	c.ID, c.Version, c.CreatedAt, c.UpdatedAt = uuid.Nil, 0, time.Time{}, time.Time{}
	c.Participants = nonNil(c.Participants)
	return c
}

func agreementContent(a *Agreement) any {
	c := *a
	c.ID, c.Status, c.Version, c.CreatedAt, c.UpdatedAt = uuid.Nil, "", 0, time.Time{}, time.Time{}
	c.PriorityAreas, c.ForumIDs, c.DataSources = nonNil(c.PriorityAreas), nonNil(c.ForumIDs), nonNil(c.DataSources)
	c.Signatories, c.Documents = nonNil(c.Signatories), nonNil(c.Documents)
	return c
}

func periodContent(p *PromisePeriod) any {
	c := *p
	c.ID, c.Status, c.PublishedAt, c.Version, c.CreatedAt, c.UpdatedAt = uuid.Nil, "", nil, 0, time.Time{}, time.Time{}
	c.Promises, c.Signatories, c.Documents = nonNil(c.Promises), nonNil(c.Signatories), nonNil(c.Documents)
	return c
}

func activityContent(a *Activity) any {
	c := *a
	c.ID, c.Parties, c.Public, c.Version, c.CreatedAt, c.UpdatedAt = uuid.Nil, Parties{}, false, 0, time.Time{}, time.Time{}
	// Links are a set: reads return them in the order of what they point to, whatever order
	// a document names them in, so that order must not make a re-run look like a change.
	c.PriorityAreaIDs, c.PromiseIDs, c.Partners = sortedIDs(c.PriorityAreaIDs), sortedIDs(c.PromiseIDs), nonNil(c.Partners)
	return c
}

func sortedIDs(ids []uuid.UUID) []uuid.UUID {
	out := slices.Clone(nonNil(ids))
	slices.SortFunc(out, func(x, y uuid.UUID) int { return bytes.Compare(x[:], y[:]) })
	return out
}

func followUpContent(f *FollowUp) any {
	c := *f
	c.ID, c.Parties, c.Status, c.PublishedAt, c.Version, c.CreatedAt, c.UpdatedAt = uuid.Nil, Parties{}, "", nil, 0, time.Time{}, time.Time{}
	c.PromiseAssessments, c.ActivityStatuses, c.Documents = nonNil(c.PromiseAssessments), nonNil(c.ActivityStatuses), nonNil(c.Documents)
	return c
}
