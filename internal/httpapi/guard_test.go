package httpapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/internal/samverkan"
)

func TestImportsComeIntoAProcessOneAtATime(t *testing.T) {
	e := echo.New()
	inside, release := make(chan struct{}), make(chan struct{})
	guarded := bodyGuard()(func(c echo.Context) error {
		if strings.HasPrefix(c.Request().URL.Path, "/v1/imports") {
			inside <- struct{}{}
			<-release
		}
		return c.NoContent(http.StatusOK)
	})
	send := func(ctx context.Context, path string) error {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(`{}`)).WithContext(ctx)
		return guarded(e.NewContext(req, httptest.NewRecorder()))
	}
	first := make(chan error)
	go func() { first <- send(context.Background(), "/v1/imports") }()
	<-inside // the first import holds the turn

	// Another write is not held up by it.
	if err := send(context.Background(), "/v1/forums"); err != nil {
		t.Fatalf("a forum waited for the import: %v", err)
	}
	// A second import waits for its turn until its deadline.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := send(ctx, "/v1/imports"); samverkan.ErrorCode(err) != samverkan.EUnavailable {
		t.Fatalf("a second import at once: %v, want unavailable once its deadline passed", err)
	}
	release <- struct{}{}
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	// Then it is its turn.
	next := make(chan error)
	go func() { next <- send(context.Background(), "/v1/imports") }()
	select {
	case <-inside:
		release <- struct{}{}
	case <-time.After(5 * time.Second):
		t.Fatal("the next import did not get its turn")
	}
	if err := <-next; err != nil {
		t.Fatalf("the next import after the first: %v", err)
	}
}
