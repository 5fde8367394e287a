package httpapi

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
)

// operation is one operation of the contract with what the layers ask of it on every request.
type operation struct {
	path       string // as the contract writes it: /v1/agreements/{id}
	item       *openapi3.PathItem
	op         *openapi3.Operation
	needsToken bool
}

// operations finds the contract's operation of the route echo chose, by echo's path template
// and the method: an index made once, so that requireToken and the validator, which both
// ask on every request, each cost one map lookup.
type operations map[string]map[string]*operation

func indexOperations(doc *openapi3.T) operations {
	ops := operations{}
	for path, item := range doc.Paths.Map() {
		byMethod := map[string]*operation{}
		for method, op := range item.Operations() {
			byMethod[method] = &operation{path: path, item: item, op: op, needsToken: needsToken(doc, op)}
		}
		ops[echoPath(path)] = byMethod
	}
	return ops
}

// of is the operation of c's route, nil for routes that are not operations of the contract
// (/openapi.yaml, /docs, unknown paths).
func (ops operations) of(c echo.Context) *operation {
	return ops[c.Path()][c.Request().Method]
}

// echoPath turns the contract's /v1/agreements/{id} into echo's /v1/agreements/:id.
func echoPath(openAPIPath string) string {
	parts := strings.Split(openAPIPath, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			parts[i] = ":" + p[1:len(p)-1]
		}
	}
	return strings.Join(parts, "/")
}

// needsToken reports whether every security requirement of the operation names a scheme:
// one that is empty ({}) lets anonymous callers in.
func needsToken(doc *openapi3.T, op *openapi3.Operation) bool {
	reqs := doc.Security
	if op.Security != nil {
		reqs = *op.Security
	}
	if len(reqs) == 0 {
		return false
	}
	for _, r := range reqs {
		if len(r) == 0 {
			return false
		}
	}
	return true
}
