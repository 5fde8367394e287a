package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// routed is the API's handler together with its router, so that the router's routes can be
// held against the contract (contract_statuses_test.go): New returns one.
type routed struct {
	http.Handler
	echo   *echo.Echo
	layers []string
}

// Routes lists the router's routes: each method with its path template.
func (r routed) Routes() []*echo.Route { return r.echo.Routes() }

// Layers names the middleware of the chain, outermost first, those the configuration turns
// off included.
func (r routed) Layers() []string { return r.layers }
