package httpapi

import (
	"context"
	"encoding/json"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/internal/samverkan"
)

// ImportFile checks a JSON import document against the contract's ImportDocument schema, as
// POST /v1/imports checks its body, and imports it through the same conversion and use case.
// The demo data and the CLI use it.
func ImportFile(ctx context.Context, svc *samverkan.Service, spec []byte, p *samverkan.Principal, raw []byte, dryRun bool) (*samverkan.ImportReport, error) {
	doc, err := LoadSpec(spec)
	if err != nil {
		return nil, err
	}
	raw, err = checkJSONBody(raw, doc.Components.Schemas["ImportDocument"].Value)
	if err != nil {
		return nil, err
	}
	var in api.ImportDocument
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, err
	}
	return svc.Import(ctx, p, importIn(in), dryRun)
}
