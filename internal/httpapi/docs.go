package httpapi

import (
	"embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// The API reference at /docs is Redoc (MIT, docs/REDOC-LICENSE) rendering the served
// /openapi.yaml. Its script is embedded, so the page works on a machine without internet.
// Redoc 2.5.1, bundles/redoc.standalone.js from the npm package.
//
//go:embed docs/redoc.standalone.js
var docsAssets embed.FS

const docsPage = `<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Samverkan API – referens</title>
<style>body { margin: 0; font-family: system-ui, sans-serif; }</style>
</head>
<body>
<redoc spec-url="/openapi.yaml" hide-download-button="false" path-in-middle-panel="true"></redoc>
<script src="/docs/redoc.standalone.js"></script>
</body>
</html>
`

func registerDocs(e *echo.Echo) {
	e.GET("/docs", func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "public, max-age=300")
		c.Response().Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self'; img-src 'self' data:; worker-src 'self' blob:")
		return c.HTML(http.StatusOK, docsPage)
	})
	e.GET("/docs/redoc.standalone.js", func(c echo.Context) error {
		js, err := docsAssets.ReadFile("docs/redoc.standalone.js")
		if err != nil {
			return err
		}
		c.Response().Header().Set("Cache-Control", "public, max-age=86400")
		return c.Blob(http.StatusOK, "text/javascript; charset=utf-8", js)
	})
}
