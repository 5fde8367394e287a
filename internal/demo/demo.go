// Package demo holds the real content of the seed documents (Strängnäs and Eskilstuna) as an
// import document; see SOURCES.md for where each record comes from.
package demo

import _ "embed"

// Seed is an ImportDocument (openapi.yaml) loaded by `samverkan serve --demo`.
//
//go:embed seed.json
var Seed []byte
