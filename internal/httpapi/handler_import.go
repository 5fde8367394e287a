package httpapi

import (
	"context"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/internal/samverkan"
)

func (h *Handler) CreateImport(ctx context.Context, r api.CreateImportRequestObject) (api.CreateImportResponseObject, error) {
	rep, err := h.svc.Import(ctx, principalFrom(ctx), importIn(*r.Body), r.Params.DryRun)
	h.countImport("json", rep, err)
	if err != nil {
		return nil, err
	}
	return api.CreateImport200JSONResponse(reportOut(rep)), nil
}

// countImport counts an import request by format and outcome, and the records it wrote.
// Refusals that are the caller's (a bad file, a missing token) count as rejected; failures of
// the server do not count as imports at all.
func (h *Handler) countImport(format string, rep *samverkan.ImportReport, err error) {
	if h.metrics == nil {
		return
	}
	switch {
	case err != nil:
		if code := samverkan.ErrorCode(err); code != samverkan.EInternal && code != samverkan.EUnavailable {
			h.metrics.Imports.WithLabelValues(format, "rejected").Inc()
		}
	case rep.DryRun:
		h.metrics.Imports.WithLabelValues(format, "dry_run").Inc()
	default:
		h.metrics.Imports.WithLabelValues(format, "imported").Inc()
		for _, it := range rep.Items {
			h.metrics.ImportRecords.WithLabelValues(it.Kind, string(it.Action)).Inc()
		}
	}
}

func reportOut(rep *samverkan.ImportReport) api.ImportReport {
	out := api.ImportReport{DryRun: rep.DryRun, Created: rep.Created, Updated: rep.Updated, Unchanged: rep.Unchanged}
	out.Items = make([]struct {
		Action api.ImportReportItemsAction `json:"action"`
		Id     string                      `json:"id,omitempty,omitzero"`
		Kind   api.ImportReportItemsKind   `json:"kind"`
		Ref    string                      `json:"ref"`
	}, len(rep.Items))
	for i, it := range rep.Items {
		out.Items[i].Action, out.Items[i].Kind, out.Items[i].Ref = api.ImportReportItemsAction(it.Action), api.ImportReportItemsKind(it.Kind), it.Ref
		if !rep.DryRun || it.Action != samverkan.ImportCreated {
			out.Items[i].Id = it.ID // a dry run's new ids were rolled back with it
		}
	}
	return out
}
