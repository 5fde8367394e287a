package client

import (
	"context"
	"net/http"
)

// BearerToken returns a request editor that authenticates every request with token.
func BearerToken(token string) RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
}
