package httpapi

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/internal/activityfile"
	"github.com/samverkan/samverkan/internal/samverkan"
)

func (h *Handler) ImportActivityListCSV(ctx context.Context, r api.ImportActivityListCSVRequestObject) (api.ImportActivityListCSVResponseObject, error) {
	q := r.Params
	rep, err := h.importSheet(ctx, r.Body, activityfile.ReadCSV,
		listRef(q.AgreementId, q.PromisePeriodId, q.AgreementRef, q.PromisePeriodRef), q.DryRun)
	h.countImport("csv", rep, err)
	if err != nil {
		return nil, err
	}
	return api.ImportActivityListCSV200JSONResponse(reportOut(rep)), nil
}

func (h *Handler) ImportActivityListXLSX(ctx context.Context, r api.ImportActivityListXLSXRequestObject) (api.ImportActivityListXLSXResponseObject, error) {
	q := r.Params
	rep, err := h.importSheet(ctx, r.Body, activityfile.ReadXLSX,
		listRef(q.AgreementId, q.PromisePeriodId, q.AgreementRef, q.PromisePeriodRef), q.DryRun)
	h.countImport("xlsx", rep, err)
	if err != nil {
		return nil, err
	}
	return api.ImportActivityListXLSX200JSONResponse(reportOut(rep)), nil
}

func listRef(agreementID, periodID api.IdPath, agreementRef, periodRef string) samverkan.ListRef {
	return samverkan.ListRef{AgreementID: idIn(agreementID), PromisePeriodID: idIn(periodID), AgreementRef: agreementRef, PromisePeriodRef: periodRef}
}

func (h *Handler) importSheet(ctx context.Context, body io.Reader, read func([]byte) ([]activityfile.Row, []activityfile.Problem),
	list samverkan.ListRef, dryRun bool) (*samverkan.ImportReport, error) {
	data, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	return ImportSheet(ctx, h.svc, principalFrom(ctx), data, read, list, dryRun)
}

// ImportSheet reads a spreadsheet with read (activityfile.ReadCSV or ReadXLSX) and imports its
// rows into the list; every problem, the file's own or the import's, is reported by sheet, row
// and column. The API and the command line both use it.
func ImportSheet(ctx context.Context, svc *samverkan.Service, p *samverkan.Principal, data []byte,
	read func([]byte) ([]activityfile.Row, []activityfile.Problem), list samverkan.ListRef, dryRun bool) (*samverkan.ImportReport, error) {
	rows, problems := read(data)
	if len(problems) > 0 {
		e := &samverkan.Error{Code: samverkan.EUnprocessable, Message: "The file was rejected; nothing was written."}
		for _, p := range problems {
			e.Fields = append(e.Fields, samverkan.FieldError{Sheet: p.Sheet, Row: p.Row, Column: p.Column, Detail: p.Detail})
		}
		return nil, e
	}
	acts := make([]samverkan.ImportActivity, len(rows))
	for i, r := range rows {
		acts[i] = r.Activity
	}
	rep, err := svc.ImportActivityList(ctx, p, list, acts, dryRun)
	if e, ok := err.(*samverkan.Error); ok {
		for i, f := range e.Fields {
			e.Fields[i] = atRow(f, rows, listParameter(list))
		}
	}
	return rep, err
}

// listParameter is the query parameter that named the list.
func listParameter(list samverkan.ListRef) string {
	switch {
	case list.PromisePeriodRef != "":
		return "promisePeriodRef"
	case list.AgreementRef != "":
		return "agreementRef"
	case list.AgreementID != nil:
		return "agreementId"
	}
	return "promisePeriodId"
}

// atRow turns a problem the importer names by /rows/<index>/<field> into the spreadsheet's
// row and column, and one about the list as a whole (/rows/<field>) into its parameter.
func atRow(f samverkan.FieldError, rows []activityfile.Row, listParam string) samverkan.FieldError {
	rest, ok := strings.CutPrefix(f.Pointer, "/rows/")
	if !ok {
		return f
	}
	index, field, _ := strings.Cut(rest, "/")
	i, err := strconv.Atoi(index)
	if err != nil {
		return samverkan.FieldError{Parameter: listParam, Detail: f.Detail}
	}
	if i < 0 || i >= len(rows) {
		return f
	}
	field, _, _ = strings.Cut(field, "/")
	column := field
	switch field {
	case "priorityAreaIds":
		column = "priorityAreaRefs"
	case "promiseIds":
		column = "promiseRefs"
	case "agreementId", "promisePeriodId":
		column = "" // the list as a whole, not a cell
	}
	return samverkan.FieldError{Row: rows[i].Number, Column: column, Detail: f.Detail}
}

func (h *Handler) GetActivityTemplateCSV(ctx context.Context, _ api.GetActivityTemplateCSVRequestObject) (api.GetActivityTemplateCSVResponseObject, error) {
	b := activityfile.TemplateCSV()
	return csvTemplate{api.GetActivityTemplateCSV200TextcsvResponse{Body: bytes.NewReader(b), ContentLength: int64(len(b))}}, nil
}

func (h *Handler) GetActivityTemplateXLSX(ctx context.Context, _ api.GetActivityTemplateXLSXRequestObject) (api.GetActivityTemplateXLSXResponseObject, error) {
	b, err := activityfile.TemplateXLSX()
	if err != nil {
		return nil, err
	}
	return xlsxTemplate{api.GetActivityTemplateXLSX200ApplicationvndOpenxmlformatsOfficedocumentSpreadsheetmlSheetResponse{
		Body: bytes.NewReader(b), ContentLength: int64(len(b))}}, nil
}

// The templates are files to keep and fill in, not pages to show: they download as
// attachments under the names their paths end in, as the shipped copies in
// internal/activityfile/templates are named.
type (
	csvTemplate struct {
		api.GetActivityTemplateCSV200TextcsvResponse
	}
	xlsxTemplate struct {
		api.GetActivityTemplateXLSX200ApplicationvndOpenxmlformatsOfficedocumentSpreadsheetmlSheetResponse
	}
)

func (t csvTemplate) VisitGetActivityTemplateCSVResponse(w http.ResponseWriter) error {
	w.Header().Set(echo.HeaderContentDisposition, `attachment; filename="activities.csv"`)
	return t.GetActivityTemplateCSV200TextcsvResponse.VisitGetActivityTemplateCSVResponse(w)
}

func (t xlsxTemplate) VisitGetActivityTemplateXLSXResponse(w http.ResponseWriter) error {
	w.Header().Set(echo.HeaderContentDisposition, `attachment; filename="activities.xlsx"`)
	return t.GetActivityTemplateXLSX200ApplicationvndOpenxmlformatsOfficedocumentSpreadsheetmlSheetResponse.VisitGetActivityTemplateXLSXResponse(w)
}
