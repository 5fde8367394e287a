package httpapi

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/internal/samverkan"
)

// ImportFile checks a JSON import document against the contract's ImportDocument schema and
// imports it through the same conversion and use case as POST /v1/imports. The demo data and
// the CLI use it.
func ImportFile(ctx context.Context, svc *samverkan.Service, spec []byte, p *samverkan.Principal, raw []byte, dryRun bool) (*samverkan.ImportReport, error) {
	doc, err := LoadSpec(spec)
	if err != nil {
		return nil, err
	}
	var value any
	if err := json.Unmarshal(raw, &value); err != nil {
		return nil, &samverkan.Error{Code: samverkan.EInvalid, Message: "The import document is not valid JSON.", Err: err}
	}
	schema := doc.Components.Schemas["ImportDocument"].Value
	if err := schema.VisitJSON(value, openapi3.MultiErrors()); err != nil {
		return nil, fmt.Errorf("the import document does not match the contract: %w", err)
	}
	var in api.ImportDocument
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, err
	}
	return svc.Import(ctx, p, importIn(in), dryRun)
}
