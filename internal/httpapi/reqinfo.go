package httpapi

import (
	"context"
	"mime"
	"net/url"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

// requestInfo is what handlers need of the request beyond the generated request objects: the
// URL, to build next-page links, and Accept, to choose CSV.
type requestInfo struct {
	url    *url.URL
	accept string
	next   string // the next page's link, sent as a Link header too
}

type requestInfoKey struct{}

func withRequestInfo(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		info := &requestInfo{url: r.URL, accept: r.Header.Get(echo.HeaderAccept)}
		c.SetRequest(r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info)))
		// The generated CSV answers say text/csv; name the charset and a file name, so that a
		// browser saves activities.csv and a spreadsheet reads å ä ö right.
		h := c.Response().Header()
		c.Response().Before(func() {
			if info.next != "" {
				h.Set("Link", "<"+info.next+`>; rel="next"`)
			}
			if h.Get(echo.HeaderContentType) == "text/csv" {
				h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
				// A handler that names its file itself (the templates do) knows it better.
				if h.Get(echo.HeaderContentDisposition) == "" {
					h.Set(echo.HeaderContentDisposition, `inline; filename="`+csvFileName(r.URL.Path)+`"`)
				}
			}
		})
		return next(c)
	}
}

// csvFileName names the CSV answer to a path after its last segment: /v1/activities saves as
// activities.csv, and a path that already ends in .csv keeps its name.
func csvFileName(urlPath string) string {
	name := path.Base(urlPath)
	if strings.HasSuffix(name, ".csv") {
		return name
	}
	return name + ".csv"
}

func infoFrom(ctx context.Context) *requestInfo {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return info
	}
	return &requestInfo{url: &url.URL{}}
}

// nextLink is the path and query of the page after this one: the same request with the cursor
// the page handed out.
func nextLink(ctx context.Context, cursor string) string {
	if cursor == "" {
		return ""
	}
	info := infoFrom(ctx)
	u := *info.url
	q := u.Query()
	q.Set("cursor", cursor)
	info.next = u.Path + "?" + q.Encode()
	return info.next
}

// wantsCSV tells whether the client asked for CSV, by ?format=csv or by preferring text/csv
// in Accept; ?format=json wins over Accept.
func wantsCSV(ctx context.Context, format string) bool {
	switch format {
	case "csv":
		return true
	case "json":
		return false
	}
	for _, part := range strings.Split(infoFrom(ctx).accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "text/csv":
			return true
		case "application/json", "*/*", "application/*":
			return false
		}
	}
	return false
}
