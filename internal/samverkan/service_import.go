package samverkan

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"
)

// Import writes a whole document in one transaction, through the same use cases as single
// writes, so it is authorized, validated and versioned the same way. Records are matched by
// their refs; a record whose content and status already match is left unchanged, so a second
// run of the same document writes nothing. Every problem found is reported, each with a JSON
// pointer into the document, and then nothing is written. A dry run does all the work and
// rolls it back.
func (s *Service) Import(ctx context.Context, p *Principal, doc ImportDocument, dryRun bool) (*ImportReport, error) {
	return s.importTx(ctx, p, dryRun, func(im *importer) error { return im.run(ctx, doc) })
}

// ListRef names an activity list by id or by the importer's ref: exactly one of the four.
type ListRef struct {
	AgreementID, PromisePeriodID   *uuid.UUID
	AgreementRef, PromisePeriodRef string
}

// ImportActivityList writes the activities of one existing list, as a spreadsheet holds them:
// matched by ref, all or nothing, and problems pointed at /rows/<index>/<field>.
func (s *Service) ImportActivityList(ctx context.Context, p *Principal, list ListRef, acts []ImportActivity, dryRun bool) (*ImportReport, error) {
	return s.importTx(ctx, p, dryRun, func(im *importer) error {
		target, err := im.resolveList(ctx, list)
		if err != nil {
			return err
		}
		seen := map[string]int{}
		var actRefs, areaRefs, promiseRefs []string
		for j, a := range acts {
			if first, ok := seen[a.Activity.ExternalRef]; ok {
				im.problem(ptr("/rows", j, "ref"), "the ref %q is already used at /rows/%d", a.Activity.ExternalRef, first)
			}
			seen[a.Activity.ExternalRef] = j
			actRefs = append(actRefs, a.Activity.ExternalRef)
			areaRefs = append(areaRefs, a.PriorityAreaRefs...)
			promiseRefs = append(promiseRefs, a.PromiseRefs...)
		}
		for kind, refs := range map[RefKind][]string{RefActivity: actRefs, RefPriorityArea: areaRefs, RefPromise: promiseRefs} {
			if err := im.known(ctx, kind, refs); err != nil {
				return err
			}
		}
		if err := im.activities(ctx, target, acts, "/rows"); err != nil {
			return err
		}
		return im.verdict()
	})
}

// resolveList finds the list a spreadsheet import names.
func (im *importer) resolveList(ctx context.Context, list ListRef) (Activity, error) {
	given := 0
	for _, set := range []bool{list.AgreementID != nil, list.PromisePeriodID != nil, list.AgreementRef != "", list.PromisePeriodRef != ""} {
		if set {
			given++
		}
	}
	if given != 1 {
		return Activity{}, &Error{Code: EInvalid, Message: "Name the list to import into.",
			Fields: []FieldError{{Parameter: "promisePeriodRef", Detail: "give exactly one of promisePeriodRef, promisePeriodId, agreementRef and agreementId"}}}
	}
	lookup := func(kind RefKind, ref, param string) (*uuid.UUID, error) {
		ids, err := im.tx.ExternalRefs(ctx, kind, []string{ref})
		if err != nil {
			return nil, err
		}
		id, ok := ids[ref]
		if !ok {
			return nil, &Error{Code: EUnprocessable, Message: "The list to import into does not exist.",
				Fields: []FieldError{{Parameter: param, Detail: "no list has this ref"}}}
		}
		return &id, nil
	}
	target := Activity{AgreementID: list.AgreementID, PromisePeriodID: list.PromisePeriodID}
	var err error
	switch {
	case list.AgreementRef != "":
		target.AgreementID, err = lookup(RefAgreement, list.AgreementRef, "agreementRef")
	case list.PromisePeriodRef != "":
		target.PromisePeriodID, err = lookup(RefPromisePeriod, list.PromisePeriodRef, "promisePeriodRef")
	}
	return target, err
}

// importTx runs an import in one transaction, rolled back when it is a dry run.
func (s *Service) importTx(ctx context.Context, p *Principal, dryRun bool, fn func(im *importer) error) (*ImportReport, error) {
	if p == nil {
		return nil, requireWrite(p, Parties{})
	}
	var rep *ImportReport
	errRollback := errors.New("roll back the dry run")
	err := s.store.Tx(ctx, p.Actor(), func(tx Tx) error {
		im := &importer{s: s, tx: newReadCache(tx), p: p, rep: &ImportReport{DryRun: dryRun, Items: []ImportItem{}},
			ids: map[RefKind]map[string]uuid.UUID{}, createdHere: map[uuid.UUID]bool{}}
		if err := fn(im); err != nil {
			return err
		}
		rep = im.rep
		if dryRun {
			return errRollback
		}
		return nil
	})
	if errors.Is(err, errRollback) {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	return rep, nil
}

type importer struct {
	s        *Service
	tx       Tx
	p        *Principal
	rep      *ImportReport
	ids      map[RefKind]map[string]uuid.UUID // refs written by this import or found in the database
	problems []FieldError
	// createdHere holds the activities this import creates: not yet written (they go in one
	// batch per list), so a second row with one of their refs must not look them up.
	createdHere map[uuid.UUID]bool
}

// fail records a problem of one record and tells whether the import can go on checking the
// rest. Domain refusals are collected; authorization and database failures stop it at once.
func (im *importer) fail(base string, err error) error {
	var e *Error
	if !errors.As(err, &e) || e.Err != nil || e.Code == EUnauthorized || e.Code == EForbidden || e.Code == EUnavailable {
		return err
	}
	if len(e.Fields) == 0 {
		im.problems = append(im.problems, FieldError{Pointer: base, Detail: e.Message})
		return nil
	}
	for _, f := range e.Fields {
		detail := f.Detail
		if e.Code == EConflict {
			detail = e.Message + " (" + f.Detail + ")"
		}
		im.problems = append(im.problems, FieldError{Pointer: base + f.Pointer, Detail: detail})
	}
	return nil
}

func (im *importer) problem(pointer, format string, args ...any) {
	im.problems = append(im.problems, FieldError{Pointer: pointer, Detail: fmt.Sprintf(format, args...)})
}

func (im *importer) run(ctx context.Context, doc ImportDocument) error {
	im.uniqueRefs(doc)
	steps := []func(context.Context, ImportDocument) error{
		im.policeAreas, im.municipalities, im.forums, im.agreements, im.promisePeriods, im.followUps,
	}
	for _, step := range steps {
		if err := step(ctx, doc); err != nil {
			return err
		}
	}
	return im.verdict()
}

// verdict refuses the whole import when anything was wrong, listing every problem.
func (im *importer) verdict() error {
	if len(im.problems) > 0 {
		return &Error{Code: EUnprocessable, Message: fmt.Sprintf("The import was rejected with %d problem(s); nothing was written.", len(im.problems)), Fields: im.problems}
	}
	return nil
}

// uniqueRefs reports refs used twice for records of one kind: the second would silently
// overwrite the first.
func (im *importer) uniqueRefs(doc ImportDocument) {
	seen := map[RefKind]map[string]string{}
	check := func(kind RefKind, ref, pointer string) {
		if seen[kind] == nil {
			seen[kind] = map[string]string{}
		}
		if first, ok := seen[kind][ref]; ok {
			im.problem(pointer, "the ref %q is already used at %s", ref, first)
			return
		}
		seen[kind][ref] = pointer
	}
	activities := func(list []ImportActivity, base string) {
		for j, a := range list {
			check(RefActivity, a.Activity.ExternalRef, ptr(base, j, "ref"))
		}
	}
	for i, f := range doc.Forums {
		check(RefForum, f.ExternalRef, ptr("/forums", i, "ref"))
	}
	for i, a := range doc.Agreements {
		base := ptr("/agreements", i, "")
		check(RefAgreement, a.Agreement.ExternalRef, base+"/ref")
		for j, pa := range a.Agreement.PriorityAreas {
			check(RefPriorityArea, pa.ExternalRef, ptr(base+"/priorityAreas", j, "ref"))
		}
		activities(a.ActionPlan, base+"/actionPlan")
	}
	for i, pp := range doc.PromisePeriods {
		base := ptr("/promisePeriods", i, "")
		check(RefPromisePeriod, pp.PromisePeriod.ExternalRef, base+"/ref")
		for j, pr := range pp.PromisePeriod.Promises {
			check(RefPromise, pr.ExternalRef, ptr(base+"/promises", j, "ref"))
		}
		activities(pp.Activities, base+"/activities")
	}
	for i, f := range doc.FollowUps {
		check(RefFollowUp, f.FollowUp.ExternalRef, ptr("/followUps", i, "ref"))
	}
}

// ours refuses, and stops the import, when a ref names material of an organization the token
// does not write for: an import never changes others' material, whatever refs it reuses.
func (im *importer) ours(ref string, parties Parties) error {
	if im.p.CanWrite(parties) {
		return nil
	}
	return Errorf(EForbidden, "The ref %q names material of another organization; choose refs of your own.", ref)
}

// known loads the ids of refs already in the database, so that a document may refer to
// records that an earlier import wrote.
func (im *importer) known(ctx context.Context, kind RefKind, refs []string) error {
	if len(refs) == 0 {
		return nil
	}
	found, err := im.tx.ExternalRefs(ctx, kind, refs)
	if err != nil {
		return err
	}
	m := im.ids[kind]
	if m == nil {
		m = map[string]uuid.UUID{}
		im.ids[kind] = m
	}
	for ref, id := range found {
		m[ref] = id
	}
	return nil
}

func (im *importer) resolve(kind RefKind, ref string) (uuid.UUID, bool) {
	id, ok := im.ids[kind][ref]
	return id, ok
}

func (im *importer) remember(kind RefKind, ref string, id uuid.UUID) {
	if im.ids[kind] == nil {
		im.ids[kind] = map[string]uuid.UUID{}
	}
	im.ids[kind][ref] = id
}

func (im *importer) resolveAll(kind RefKind, refs []string, pointer, what string) []uuid.UUID {
	out := make([]uuid.UUID, 0, len(refs))
	for j, ref := range refs {
		if id, ok := im.resolve(kind, ref); ok {
			out = append(out, id)
		} else {
			im.problem(ptr(pointer, j, ""), "no %s has the ref %q in this document or the database", what, ref)
		}
	}
	return out
}

// record finishes one record: it reports the action, or collects the problem and says
// whether the import can go on.
func (im *importer) record(kind, ref, id, base string, action ImportAction, err error) error {
	if err != nil {
		return im.fail(base, err)
	}
	im.rep.add(kind, ref, id, action)
	return nil
}

func (im *importer) policeAreas(ctx context.Context, doc ImportDocument) error {
	for i, in := range doc.PoliceAreas {
		cur, err := im.tx.PoliceArea(ctx, in.ID)
		action := ImportUnchanged
		switch {
		case ErrorCode(err) == ENotFound:
			_, err = im.s.createPoliceArea(ctx, im.tx, im.p, in)
			action = ImportCreated
		case err != nil:
			return err
		case cur.Name != in.Name || cur.PoliceRegion != in.PoliceRegion:
			_, err = im.s.updatePoliceArea(ctx, im.tx, im.p, in.ID, cur.Version, in)
			action = ImportUpdated
		}
		if err := im.record("police_area", in.ID, in.ID, ptr("/policeAreas", i, ""), action, err); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) municipalities(ctx context.Context, doc ImportDocument) error {
	for i, in := range doc.Municipalities {
		cur, err := im.tx.Municipality(ctx, in.Code)
		action := ImportUnchanged
		switch {
		case ErrorCode(err) == ENotFound:
			_, err = im.s.createMunicipality(ctx, im.tx, im.p, in)
			action = ImportCreated
		case err != nil:
			return err
		case cur.Name != in.Name || cur.County != in.County || cur.PoliceAreaID != in.PoliceAreaID:
			_, err = im.s.updateMunicipality(ctx, im.tx, im.p, in.Code, cur.Version, in)
			action = ImportUpdated
		}
		if err := im.record("municipality", in.Code, in.Code, ptr("/municipalities", i, ""), action, err); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) forums(ctx context.Context, doc ImportDocument) error {
	if err := im.known(ctx, RefForum, mapRefs(doc.Forums, func(f Forum) string { return f.ExternalRef })); err != nil {
		return err
	}
	for i, in := range doc.Forums {
		base := ptr("/forums", i, "")
		var out *Forum
		var err error
		action := ImportUnchanged
		if id, ok := im.resolve(RefForum, in.ExternalRef); ok {
			cur, err := im.tx.Forum(ctx, id)
			if err != nil {
				return err
			}
			if err := im.ours(in.ExternalRef, cur.Parties()); err != nil {
				return err
			}
			out = cur
			if !sameContent(forumContent(cur), forumContent(&in)) {
				out, err = im.s.updateForum(ctx, im.tx, im.p, id, cur.Version, in)
				action = ImportUpdated
				if err != nil {
					if err := im.fail(base, err); err != nil {
						return err
					}
					continue
				}
			}
		} else {
			out, err = im.s.createForum(ctx, im.tx, im.p, in)
			action = ImportCreated
		}
		if err != nil {
			if err := im.fail(base, err); err != nil {
				return err
			}
			continue
		}
		im.remember(RefForum, in.ExternalRef, out.ID)
		im.rep.add("forum", in.ExternalRef, out.ID.String(), action)
	}
	return nil
}

func (im *importer) agreements(ctx context.Context, doc ImportDocument) error {
	var refs, areaRefs, actRefs []string
	for _, a := range doc.Agreements {
		refs = append(refs, a.Agreement.ExternalRef)
		if a.ReplacesRef != "" {
			refs = append(refs, a.ReplacesRef)
		}
		for _, pa := range a.Agreement.PriorityAreas {
			areaRefs = append(areaRefs, pa.ExternalRef)
		}
		for _, act := range a.ActionPlan {
			actRefs = append(actRefs, act.Activity.ExternalRef)
		}
	}
	forumRefs := []string{}
	for _, a := range doc.Agreements {
		forumRefs = append(forumRefs, a.ForumRefs...)
	}
	for kind, r := range map[RefKind][]string{RefAgreement: refs, RefPriorityArea: areaRefs, RefActivity: actRefs, RefForum: forumRefs} {
		if err := im.known(ctx, kind, r); err != nil {
			return err
		}
	}
	for i, ia := range doc.Agreements {
		base := ptr("/agreements", i, "")
		in := ia.Agreement
		before := len(im.problems)
		in.ForumIDs = im.resolveAll(RefForum, ia.ForumRefs, base+"/forumRefs", "forum")
		if ia.ReplacesRef != "" {
			if id, ok := im.resolve(RefAgreement, ia.ReplacesRef); ok {
				in.ReplacesID = &id
			} else {
				im.problem(base+"/replacesRef", "no agreement has the ref %q in this document or the database", ia.ReplacesRef)
			}
		}
		if len(im.problems) > before {
			continue
		}
		a, action, err := im.upsertAgreement(ctx, in)
		if err != nil {
			if err := im.fail(base, err); err != nil {
				return err
			}
			continue
		}
		im.remember(RefAgreement, in.ExternalRef, a.ID)
		for _, pa := range a.PriorityAreas {
			im.remember(RefPriorityArea, pa.ExternalRef, pa.ID)
		}
		// A new agreement is signed before its action plan is written, so that the activities
		// are public from the start instead of being made public afterwards; superseding comes
		// after. One that exists may hold draft activities this document rewrites: they are
		// written first, so that what becomes public is their new text, never the draft's.
		early := ia.Status
		if early == AgreementSuperseded {
			early = AgreementSigned
		}
		if action != ImportCreated {
			early = a.Status
		}
		movedEarly, err := im.moveAgreement(ctx, a, early)
		if err != nil {
			if err := im.record("agreement", in.ExternalRef, a.ID.String(), base+"/status", action, err); err != nil {
				return err
			}
			continue
		}
		list := Activity{AgreementID: &a.ID}
		if err := im.activities(ctx, list, ia.ActionPlan, base+"/actionPlan"); err != nil {
			return err
		}
		moved, err := im.moveAgreement(ctx, a, ia.Status)
		moved = moved || movedEarly
		if moved && action == ImportUnchanged {
			action = ImportUpdated
		}
		if err := im.record("agreement", in.ExternalRef, a.ID.String(), base+"/status", action, err); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) upsertAgreement(ctx context.Context, in Agreement) (*Agreement, ImportAction, error) {
	id, ok := im.resolve(RefAgreement, in.ExternalRef)
	if !ok {
		a, err := im.s.createAgreement(ctx, im.tx, im.p, in)
		return a, ImportCreated, err
	}
	cur, err := im.tx.Agreement(ctx, id)
	if err != nil {
		return nil, "", err
	}
	if err := im.ours(in.ExternalRef, cur.Parties); err != nil {
		return nil, "", err
	}
	byRef := map[string]uuid.UUID{}
	for _, pa := range cur.PriorityAreas {
		byRef[pa.ExternalRef] = pa.ID
	}
	for k := range in.PriorityAreas {
		in.PriorityAreas[k].ID = byRef[in.PriorityAreas[k].ExternalRef]
		in.PriorityAreas[k].Position = k + 1
	}
	if sameContent(agreementContent(cur), agreementContent(&in)) {
		return cur, ImportUnchanged, nil
	}
	a, err := im.s.updateAgreement(ctx, im.tx, im.p, id, cur.Version, in)
	return a, ImportUpdated, err
}

// moveAgreement walks the lifecycle forward to the status the document names.
func (im *importer) moveAgreement(ctx context.Context, a *Agreement, to AgreementStatus) (bool, error) {
	if to == "" {
		to = AgreementDraft
	}
	path := []AgreementStatus{AgreementDraft, AgreementSigned}
	switch to {
	case AgreementAdopted:
		path = append(path, AgreementAdopted)
	case AgreementSuperseded:
		if a.Adoption != nil || a.Status == AgreementAdopted {
			path = append(path, AgreementAdopted)
		}
		path = append(path, AgreementSuperseded)
	case AgreementDraft:
		path = path[:1]
	}
	return walk(a.Status, path, func(next AgreementStatus) error {
		moved, err := im.s.transitionAgreement(ctx, im.tx, im.p, a.ID, AnyVersion, next)
		if err == nil {
			*a = *moved
		}
		return err
	})
}

// walk applies the steps of path after from. A record already past the path's end (the
// document says published, the record has since been archived) stays where it is: imports
// move records forward, never back, and re-running an old document is not an error.
func walk[S comparable](from S, path []S, step func(S) error) (bool, error) {
	at := slices.Index(path, from)
	if at < 0 {
		return false, nil
	}
	for _, next := range path[at+1:] {
		if err := step(next); err != nil {
			return false, err
		}
	}
	return at < len(path)-1, nil
}

func (im *importer) movePublication(from PublicationStatus, to PublicationStatus, step func(PublicationStatus) error) (bool, error) {
	path := []PublicationStatus{Draft}
	switch to {
	case Published:
		path = append(path, Published)
	case Archived:
		path = append(path, Published, Archived)
	}
	return walk(from, path, step)
}

// activities upserts the activities of one list in document order. The list is read once,
// and new activities are written together in batched statements: a national file holds
// thousands of them.
func (im *importer) promisePeriods(ctx context.Context, doc ImportDocument) error {
	var refs, promiseRefs, actRefs, areaRefs, agreementRefs []string
	for _, pp := range doc.PromisePeriods {
		refs = append(refs, pp.PromisePeriod.ExternalRef)
		if pp.AgreementRef != "" {
			agreementRefs = append(agreementRefs, pp.AgreementRef)
		}
		for _, pr := range pp.PromisePeriod.Promises {
			promiseRefs = append(promiseRefs, pr.ExternalRef)
		}
		for _, act := range pp.Activities {
			actRefs = append(actRefs, act.Activity.ExternalRef)
			areaRefs = append(areaRefs, act.PriorityAreaRefs...)
		}
	}
	for kind, r := range map[RefKind][]string{RefPromisePeriod: refs, RefPromise: promiseRefs, RefActivity: actRefs, RefPriorityArea: areaRefs, RefAgreement: agreementRefs} {
		if err := im.known(ctx, kind, r); err != nil {
			return err
		}
	}
	for i, ip := range doc.PromisePeriods {
		base := ptr("/promisePeriods", i, "")
		in := ip.PromisePeriod
		if ip.AgreementRef != "" {
			id, ok := im.resolve(RefAgreement, ip.AgreementRef)
			if !ok {
				im.problem(base+"/agreementRef", "no agreement has the ref %q in this document or the database", ip.AgreementRef)
				continue
			}
			in.AgreementID = &id
		}
		pp, action, err := im.upsertPromisePeriod(ctx, in)
		if err != nil {
			if err := im.fail(base, err); err != nil {
				return err
			}
			continue
		}
		im.remember(RefPromisePeriod, in.ExternalRef, pp.ID)
		for _, pr := range pp.Promises {
			im.remember(RefPromise, pr.ExternalRef, pr.ID)
		}
		// A new period is published before its activities are written, so that they are public
		// from the start; archiving comes after, since an archived list takes no more
		// activities. One that exists may hold draft activities this document rewrites: they
		// are written first, so that what becomes public is their new text, never the draft's.
		advance := func(to PublicationStatus) (bool, error) {
			return im.movePublication(pp.Status, to, func(next PublicationStatus) error {
				moved, err := im.s.transitionPromisePeriod(ctx, im.tx, im.p, pp.ID, AnyVersion, next)
				if err == nil {
					pp = moved
				}
				return err
			})
		}
		early := ip.Status
		if early == Archived {
			early = Published
		}
		if action != ImportCreated {
			early = pp.Status
		}
		movedEarly, err := advance(early)
		if err != nil {
			if err := im.record("promise_period", in.ExternalRef, pp.ID.String(), base+"/status", action, err); err != nil {
				return err
			}
			continue
		}
		if err := im.activities(ctx, Activity{PromisePeriodID: &pp.ID}, ip.Activities, base+"/activities"); err != nil {
			return err
		}
		moved, err := advance(ip.Status)
		moved = moved || movedEarly
		if moved && action == ImportUnchanged {
			action = ImportUpdated
		}
		if err := im.record("promise_period", in.ExternalRef, pp.ID.String(), base+"/status", action, err); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) upsertPromisePeriod(ctx context.Context, in PromisePeriod) (*PromisePeriod, ImportAction, error) {
	id, ok := im.resolve(RefPromisePeriod, in.ExternalRef)
	if !ok {
		pp, err := im.s.createPromisePeriod(ctx, im.tx, im.p, in)
		return pp, ImportCreated, err
	}
	cur, err := im.tx.PromisePeriod(ctx, id)
	if err != nil {
		return nil, "", err
	}
	if err := im.ours(in.ExternalRef, cur.Parties); err != nil {
		return nil, "", err
	}
	byRef := map[string]uuid.UUID{}
	for _, pr := range cur.Promises {
		byRef[pr.ExternalRef] = pr.ID
	}
	for k := range in.Promises {
		in.Promises[k].ID = byRef[in.Promises[k].ExternalRef]
		in.Promises[k].Position = k + 1
	}
	if sameContent(periodContent(cur), periodContent(&in)) {
		return cur, ImportUnchanged, nil
	}
	pp, err := im.s.updatePromisePeriod(ctx, im.tx, im.p, id, cur.Version, in)
	return pp, ImportUpdated, err
}

func (im *importer) followUps(ctx context.Context, doc ImportDocument) error {
	var refs, periodRefs, agreementRefs, promiseRefs, actRefs []string
	for _, f := range doc.FollowUps {
		refs = append(refs, f.FollowUp.ExternalRef)
		periodRefs = append(periodRefs, f.PromisePeriodRef)
		agreementRefs = append(agreementRefs, f.AgreementRef)
		for _, a := range f.Assessments {
			promiseRefs = append(promiseRefs, a.PromiseRef)
		}
		for _, a := range f.ActivityStatuses {
			actRefs = append(actRefs, a.ActivityRef)
		}
	}
	for kind, r := range map[RefKind][]string{RefFollowUp: refs, RefPromisePeriod: periodRefs, RefAgreement: agreementRefs, RefPromise: promiseRefs, RefActivity: actRefs} {
		if err := im.known(ctx, kind, r); err != nil {
			return err
		}
	}
	for i, ifu := range doc.FollowUps {
		base := ptr("/followUps", i, "")
		in := ifu.FollowUp
		before := len(im.problems)
		switch {
		case (ifu.PromisePeriodRef == "") == (ifu.AgreementRef == ""):
			im.problem(base+"/promisePeriodRef", "exactly one of promisePeriodRef and agreementRef must be given")
		case ifu.PromisePeriodRef != "":
			if id, ok := im.resolve(RefPromisePeriod, ifu.PromisePeriodRef); ok {
				in.PromisePeriodID = &id
			} else {
				im.problem(base+"/promisePeriodRef", "no promise period has the ref %q in this document or the database", ifu.PromisePeriodRef)
			}
		default:
			if id, ok := im.resolve(RefAgreement, ifu.AgreementRef); ok {
				in.AgreementID = &id
			} else {
				im.problem(base+"/agreementRef", "no agreement has the ref %q in this document or the database", ifu.AgreementRef)
			}
		}
		in.PromiseAssessments = []PromiseAssessment{}
		for j, a := range ifu.Assessments {
			if id, ok := im.resolve(RefPromise, a.PromiseRef); ok {
				in.PromiseAssessments = append(in.PromiseAssessments, PromiseAssessment{PromiseID: id, Assessment: a.Assessment, Comment: a.Comment})
			} else {
				im.problem(ptr(base+"/promiseAssessments", j, "promiseRef"), "no promise has the ref %q", a.PromiseRef)
			}
		}
		in.ActivityStatuses = []ActivityStatusReport{}
		for j, a := range ifu.ActivityStatuses {
			if id, ok := im.resolve(RefActivity, a.ActivityRef); ok {
				in.ActivityStatuses = append(in.ActivityStatuses, ActivityStatusReport{ActivityID: id, Status: a.Status, Comment: a.Comment})
			} else {
				im.problem(ptr(base+"/activityStatuses", j, "activityRef"), "no activity has the ref %q", a.ActivityRef)
			}
		}
		if len(im.problems) > before {
			continue
		}
		var out *FollowUp
		var err error
		action := ImportCreated
		if id, ok := im.resolve(RefFollowUp, in.ExternalRef); ok {
			var cur *FollowUp
			if cur, err = im.tx.FollowUp(ctx, id); err != nil {
				return err
			}
			if err := im.ours(in.ExternalRef, cur.Parties); err != nil {
				return err
			}
			out, action = cur, ImportUnchanged
			if !sameContent(followUpContent(cur), followUpContent(&in)) {
				out, err = im.s.updateFollowUp(ctx, im.tx, im.p, id, cur.Version, in)
				action = ImportUpdated
			}
		} else {
			out, err = im.s.createFollowUp(ctx, im.tx, im.p, in)
		}
		if err != nil {
			if err := im.fail(base, err); err != nil {
				return err
			}
			continue
		}
		moved, err := im.movePublication(out.Status, ifu.Status, func(next PublicationStatus) error {
			_, err := im.s.transitionFollowUp(ctx, im.tx, im.p, out.ID, AnyVersion, next)
			return err
		})
		if moved && action == ImportUnchanged {
			action = ImportUpdated
		}
		if err := im.record("follow_up", in.ExternalRef, out.ID.String(), base+"/status", action, err); err != nil {
			return err
		}
	}
	return nil
}

func mapRefs[T any](in []T, ref func(T) string) []string {
	out := make([]string, len(in))
	for i, x := range in {
		out[i] = ref(x)
	}
	return out
}
