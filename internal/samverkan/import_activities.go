package samverkan

import (
	"context"

	"github.com/google/uuid"
)

// activityRow is one activity of an import as the importer places it in its list.
type activityRow struct {
	pointer string
	a       Activity
	id      uuid.UUID // the stored activity the row's ref names, or uuid.Nil for a new one
	changed bool      // the row adds an activity or changes the stored one (placeActivities)
}

// activities writes the activities an import names for one list, all checked against the list
// once it is locked, in one batch of updates and one of new activities.
//
// Where they go: a document that names every activity of the list is the list, and its order
// is the list's order. One that names only some of them (a few rows to add or correct) leaves
// the others where they are: the activities it names keep their places and new ones are added
// after the last, in the document's order. Either way positions stay unique, and dense where
// they were.
func (im *importer) activities(ctx context.Context, list Activity, in []ImportActivity, base string) error {
	rows := im.activityRows(list, in, base)
	if len(rows) == 0 {
		return nil
	}
	stored, err := im.listActivities(ctx, list)
	if err != nil {
		return err
	}
	var l *activityList
	if placeActivities(rows, stored) {
		// Something will be written: lock the list and read it again under the lock, so that
		// what is compared is what will be overwritten. An import that changes nothing (a
		// re-run) takes no lock.
		if l, err = im.s.loadActivityList(ctx, im.tx, im.p, &list); err != nil {
			return im.fail(base, err)
		}
		if stored, err = im.listActivities(ctx, list); err != nil {
			return err
		}
		placeActivities(rows, stored)
	}
	var updates, fresh []*Activity
	for i := range rows {
		r := &rows[i]
		if r.id == uuid.Nil {
			a, err := im.newActivity(l, r)
			if err != nil {
				return err
			}
			if a != nil {
				fresh = append(fresh, a)
			}
			continue
		}
		a, err := im.existingActivity(ctx, l, stored[r.id], r)
		if err != nil {
			return err
		}
		if a != nil {
			updates = append(updates, a)
		}
	}
	if len(im.problems) > 0 {
		return nil // a rejected import writes nothing anyway
	}
	if err := im.tx.UpdateActivities(ctx, updates); err != nil {
		if ErrorCode(err) == EPreconditionFailed { // the import sent no version: nothing of the caller's is stale
			return Errorf(EConflict, "An activity of the list changed while the import ran; send the file again.")
		}
		return err
	}
	return im.tx.CreateActivities(ctx, fresh)
}

// listActivities reads a list's stored activities by id.
func (im *importer) listActivities(ctx context.Context, list Activity) (map[uuid.UUID]*Activity, error) {
	all, err := allActivities(ctx, im.tx, ActivityFilter{AgreementID: list.AgreementID, PromisePeriodID: list.PromisePeriodID})
	if err != nil {
		return nil, err
	}
	stored := make(map[uuid.UUID]*Activity, len(all))
	for i := range all {
		stored[all[i].ID] = &all[i]
	}
	return stored, nil
}

// placeActivities gives the rows their positions (see activities), marks those that add or
// change an activity of the list, and tells whether any does.
func placeActivities(rows []activityRow, stored map[uuid.UUID]*Activity) (writes bool) {
	named, last := 0, 0
	for _, a := range stored {
		last = max(last, a.Position)
	}
	for _, r := range rows {
		if _, ok := stored[r.id]; ok {
			named++
		}
	}
	whole := named == len(stored)
	for i := range rows {
		r := &rows[i]
		cur := stored[r.id]
		switch {
		case whole:
			r.a.Position = i + 1
		case r.id == uuid.Nil:
			last++
			r.a.Position = last
		case cur != nil:
			r.a.Position = cur.Position
		}
		r.changed = cur == nil || !sameContent(activityContent(cur), activityContent(withDefaults(r.a, cur)))
		writes = writes || r.changed
	}
	return writes
}

// withDefaults is a row's activity with what the row leaves out taken from the stored one.
func withDefaults(a Activity, cur *Activity) *Activity {
	if a.Status == "" {
		a.Status = cur.Status
	}
	keepRef(&a.ExternalRef, cur.ExternalRef)
	return &a
}

// activityRows resolves the refs of an import's activities; rows whose refs do not resolve
// are reported and left out.
func (im *importer) activityRows(list Activity, in []ImportActivity, base string) []activityRow {
	rows := make([]activityRow, 0, len(in))
	for j, ia := range in {
		r := activityRow{pointer: ptr(base, j, ""), a: ia.Activity}
		r.a.AgreementID, r.a.PromisePeriodID = list.AgreementID, list.PromisePeriodID
		before := len(im.problems)
		r.a.PriorityAreaIDs = im.resolveAll(RefPriorityArea, ia.PriorityAreaRefs, r.pointer+"/priorityAreaRefs", "priority area")
		r.a.PromiseIDs = im.resolveAll(RefPromise, ia.PromiseRefs, r.pointer+"/promiseRefs", "promise")
		if len(im.problems) > before {
			continue
		}
		if id, ok := im.resolve(RefActivity, r.a.ExternalRef); ok {
			if im.createdHere[id] { // a ref used twice in this file: already reported
				im.problem(r.pointer+"/ref", "the ref %q is used by an earlier row of this import", r.a.ExternalRef)
				continue
			}
			r.id = id
		}
		rows = append(rows, r)
	}
	return rows
}

// existingActivity checks the change an import makes to a stored activity; cur is the stored
// activity when it is in this list, else nil. It answers the activity to write, or nil when
// there is nothing to write.
func (im *importer) existingActivity(ctx context.Context, l *activityList, cur *Activity, r *activityRow) (*Activity, error) {
	a := r.a
	if cur == nil {
		var err error
		if cur, err = im.tx.Activity(ctx, r.id); err != nil {
			return nil, err
		}
	}
	if err := im.ours(a.ExternalRef, cur.Parties); err != nil {
		return nil, err
	}
	if !sameList(cur, &a) {
		im.problem(r.pointer+"/ref", "the activity %q belongs to another list", a.ExternalRef)
		return nil, nil
	}
	a = *withDefaults(a, cur)
	out, action := cur, ImportUnchanged
	if r.changed { // so placeActivities said, and the list l is locked
		err := a.Validate()
		if err == nil {
			out, _, err = im.s.reviseActivity(l, cur, a)
		}
		if err != nil {
			return nil, im.fail(r.pointer, err)
		}
		action = ImportUpdated
	}
	im.remember(RefActivity, a.ExternalRef, out.ID)
	im.rep.add("activity", a.ExternalRef, out.ID.String(), action)
	if action == ImportUnchanged {
		return nil, nil
	}
	return out, nil
}

// newActivity checks an activity an import adds to list l; it answers nil when it may not be
// added, and an error when the import cannot go on.
func (im *importer) newActivity(l *activityList, r *activityRow) (*Activity, error) {
	a := r.a
	err := a.Validate()
	if err == nil {
		err = im.s.admitActivity(im.p, l, &a)
	}
	if err != nil {
		return nil, im.fail(r.pointer, err)
	}
	im.createdHere[a.ID] = true
	im.remember(RefActivity, a.ExternalRef, a.ID)
	im.rep.add("activity", a.ExternalRef, a.ID.String(), ImportCreated)
	return &a, nil
}
