package httpapi

import (
	"context"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/internal/samverkan"
)

func (h *Handler) CreateImport(ctx context.Context, r api.CreateImportRequestObject) (api.CreateImportResponseObject, error) {
	rep, err := h.svc.Import(ctx, principalFrom(ctx), importIn(*r.Body), r.Params.DryRun)
	if err != nil {
		return nil, err
	}
	return api.CreateImport200JSONResponse(reportOut(rep)), nil
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
