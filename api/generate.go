// Package api holds the code generated from openapi.yaml. Nothing in it is edited by hand:
// change the contract and run `go generate ./...`.
package api

//go:generate go tool oapi-codegen -config oapi-codegen.yaml ../openapi.yaml
