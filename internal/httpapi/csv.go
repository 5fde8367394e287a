package httpapi

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/samverkan/samverkan/api"
)

// CSV for spreadsheets: UTF-8 with a byte order mark, so that Excel reads å ä ö right, and
// the separator the caller asks for (Swedish Excel expects semicolons). encoding/csv quotes
// fields that hold separators, quotes or line breaks.

const utf8BOM = "\ufeff"

func writeCSV(delimiter string, header []string, rows [][]string) (*bytes.Buffer, error) {
	buf := bytes.NewBufferString(utf8BOM)
	w := csv.NewWriter(buf)
	if delimiter == "semicolon" {
		w.Comma = ';'
	}
	w.UseCRLF = true // what spreadsheets write and expect
	if err := w.Write(header); err != nil {
		return nil, err
	}
	for _, r := range rows {
		if err := w.Write(neutralize(r)); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf, w.Error()
}

// neutralize keeps spreadsheet programs from running cells as formulas (CSV injection): a
// cell that starts like a formula gets a leading apostrophe, which Excel shows as text.
func neutralize(row []string) []string {
	for i, cell := range row {
		if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
			row[i] = "'" + cell
		}
	}
	return row
}

func joinIDs(ids []openapi_types.UUID) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = id.String()
	}
	return strings.Join(parts, " ")
}

func dateCell(d openapi_types.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Format(time.DateOnly)
}

func uuidCell(u openapi_types.UUID) string {
	if u == (openapi_types.UUID{}) {
		return ""
	}
	return u.String()
}

func activitiesCSV(items []api.Activity, delimiter string) (*bytes.Buffer, error) {
	header := []string{"id", "externalRef", "agreementId", "promisePeriodId", "position", "description", "priorityAreaIds",
		"promiseIds", "responsibleParty", "partners", "method", "recurrence", "startsOn", "endsOn", "status", "updatedAt"}
	rows := make([][]string, len(items))
	for i, a := range items {
		rows[i] = []string{a.Id.String(), a.ExternalRef, uuidCell(a.AgreementId), uuidCell(a.PromisePeriodId), strconv.Itoa(a.Position),
			a.Description, joinIDs(a.PriorityAreaIds), joinIDs(a.PromiseIds), string(a.ResponsibleParty), strings.Join(a.Partners, ", "),
			a.Method, string(a.Recurrence), dateCell(a.StartsOn), dateCell(a.EndsOn), string(a.Status), a.UpdatedAt.UTC().Format(time.RFC3339)}
	}
	return writeCSV(delimiter, header, rows)
}

// promisePeriodsCSV has one row per promise, so that the list reads like the promises it
// holds; a period without promises still has one row.
func promisePeriodsCSV(items []api.PromisePeriod, delimiter string) (*bytes.Buffer, error) {
	header := []string{"promisePeriodId", "municipalityCode", "policeAreaId", "title", "startYear", "endYear", "status", "inForce",
		"promiseId", "position", "promise"}
	var rows [][]string
	for _, p := range items {
		base := []string{p.Id.String(), p.MunicipalityCode, p.PoliceAreaId, p.Title, strconv.Itoa(p.StartYear), strconv.Itoa(p.EndYear),
			string(p.Status), strconv.FormatBool(p.InForce)}
		if len(p.Promises) == 0 {
			rows = append(rows, append(base, "", "", ""))
		}
		for _, pr := range p.Promises {
			rows = append(rows, append(append([]string{}, base...), pr.Id.String(), strconv.Itoa(pr.Position), pr.Text))
		}
	}
	return writeCSV(delimiter, header, rows)
}
