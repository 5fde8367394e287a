// Package samverkanapi holds the API contract, openapi.yaml, embedded in every binary: the
// server validates requests against it and serves it at /openapi.yaml.
package samverkanapi

import _ "embed"

//go:embed openapi.yaml
var OpenAPI []byte
