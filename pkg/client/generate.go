// Package client is the public Go client of the Samverkan API, generated from openapi.yaml.
//
//	c, err := client.NewClientWithResponses("https://samverkan.example.se",
//		client.WithRequestEditorFn(client.BearerToken(token)))
package client

//go:generate go tool oapi-codegen -config oapi-codegen.yaml ../../openapi.yaml
