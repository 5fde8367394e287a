package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dustin/go-humanize"

	samverkanapi "github.com/samverkan/samverkan"
	"github.com/samverkan/samverkan/internal/activityfile"
	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/pkg/client"
)

// importFile imports a JSON import document, or an activity list from a .csv or .xlsx file,
// into the local database as the system, or through a running server's API with a token
// (the same calls an integration makes, through the public client).
func importFile(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	db := databaseFlag(fs)
	dryRun := fs.Bool("dry-run", false, "check and report, write nothing")
	server := fs.String("server", "", "import through this server's API instead of the local database")
	tok := fs.String("token", os.Getenv("SAMVERKAN_TOKEN"), "bearer token for --server (env SAMVERKAN_TOKEN)")
	period := fs.String("promise-period", "", "for .csv/.xlsx: the ref of the promise period whose activity list the file holds")
	agreement := fs.String("agreement", "", "for .csv/.xlsx: the ref of the agreement whose action plan the file holds")
	key := fs.String("idempotency-key", "", "with --server: a key that makes a retry of this import return the first answer")
	var path string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		path, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if path == "" && fs.NArg() > 0 {
		path = fs.Arg(0)
	}
	if path == "" {
		return fmt.Errorf("import: name the file to import")
	}
	kind := strings.ToLower(filepath.Ext(path))
	sheet := kind == ".csv" || kind == ".xlsx"
	if sheet && (*period == "") == (*agreement == "") {
		return fmt.Errorf("import: a %s file is an activity list: name its list with --promise-period REF or --agreement REF", kind)
	}
	serverGiven := false
	fs.Visit(func(f *flag.Flag) { serverGiven = serverGiven || f.Name == "server" })
	if serverGiven {
		if err := checkServerURL(*server); err != nil {
			return err
		}
		if *tok == "" {
			return fmt.Errorf("import: --server needs --token (or SAMVERKAN_TOKEN)")
		}
		dbGiven := false
		fs.Visit(func(f *flag.Flag) { dbGiven = dbGiven || f.Name == "database-url" })
		if dbGiven {
			return fmt.Errorf("import: give --server or --database-url, not both")
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	list := samverkan.ListRef{PromisePeriodRef: *period, AgreementRef: *agreement}
	started := time.Now()
	progress("read %s (%s)", filepath.Base(path), size(len(raw)))
	var rep *samverkan.ImportReport
	if serverGiven {
		rep, err = importRemote(ctx, *server, *tok, *key, kind, raw, list, *dryRun)
	} else {
		svc, st, oerr := openService(ctx, *db)
		if oerr != nil {
			return oerr
		}
		defer st.Close()
		progress("importing into the %s database in one transaction…", st.Dialect())
		system := &samverkan.Principal{TokenName: "command line import", Role: samverkan.RoleAdmin}
		switch kind {
		case ".csv":
			rep, err = httpapi.ImportSheet(ctx, svc, system, raw, activityfile.ReadCSV, list, *dryRun)
		case ".xlsx":
			rep, err = httpapi.ImportSheet(ctx, svc, system, raw, activityfile.ReadXLSX, list, *dryRun)
		default:
			rep, err = httpapi.ImportFile(ctx, svc, samverkanapi.OpenAPI, system, raw, *dryRun)
		}
	}
	if err != nil {
		return explain(err)
	}
	progress("done in %.1f s", time.Since(started).Seconds())
	printReport(rep)
	return nil
}

// progress tells a person at a terminal what a long import is doing; scripts reading the
// summary on standard output are not disturbed.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}

// size is a file's size in SI units, as a person reads it: 1,085 bytes are "1.1 kB".
func size(n int) string { return humanize.Bytes(uint64(n)) }

// uploadProgress reports how much of a large request body has been sent.
type uploadProgress struct {
	r          io.Reader
	sent, size int
	next       int
}

func (u *uploadProgress) Read(p []byte) (int, error) {
	n, err := u.r.Read(p)
	u.sent += n
	if u.size > 0 && u.sent*10 >= u.next*u.size && u.next <= 10 {
		progress("sent %d %%", u.sent*100/u.size)
		u.next = u.sent*10/u.size + 1
	}
	return n, err
}

// checkServerURL refuses a --server that is not an http or https URL of a host, before
// anything is read or sent. A bare host:port is not taken to mean http: the server may well
// be https, and the token should not go out in plain text on a guess.
func checkServerURL(server string) error {
	const example = "http://127.0.0.1:8080 or https://samverkan.example.se"
	if strings.TrimSpace(server) == "" {
		return fmt.Errorf("import: --server is empty; it takes a server's URL, such as %s", example)
	}
	u, err := neturl.Parse(server)
	if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.RawQuery == "" && u.Fragment == "" {
		return nil
	}
	if h, err := neturl.Parse("http://" + server); err == nil && h.Host != "" && !strings.ContainsAny(server, "/ ") {
		return fmt.Errorf("import: --server %q has no scheme: say http://%s or https://%s", server, server, server)
	}
	return fmt.Errorf("import: --server %q is not a server's URL; it takes one such as %s, without query or fragment", server, example)
}

func importRemote(ctx context.Context, server, token, key, kind string, raw []byte, list samverkan.ListRef, dryRun bool) (*samverkan.ImportReport, error) {
	editors := []client.RequestEditorFn{client.BearerToken(token)}
	if key != "" {
		editors = append(editors, func(_ context.Context, req *http.Request) error {
			req.Header.Set("Idempotency-Key", key)
			return nil
		})
	}
	c, err := client.NewClientWithResponses(server, client.WithRequestEditorFn(func(ctx context.Context, req *http.Request) error {
		for _, e := range editors {
			if err := e(ctx, req); err != nil {
				return err
			}
		}
		return nil
	}))
	if err != nil {
		return nil, err
	}
	var body io.Reader = bytes.NewReader(raw)
	if len(raw) > 256<<10 {
		body = &uploadProgress{r: body, size: len(raw), next: 1}
	}
	var status int
	var answer []byte
	var report *client.ImportReport
	switch kind {
	case ".csv":
		res, err := c.ImportActivityListCSVWithBodyWithResponse(ctx, &client.ImportActivityListCSVParams{
			PromisePeriodRef: given(list.PromisePeriodRef), AgreementRef: given(list.AgreementRef), DryRun: &dryRun}, "text/csv", body)
		if err != nil {
			return nil, unreachable(server, err)
		}
		status, answer, report = res.StatusCode(), res.Body, res.JSON200
	case ".xlsx":
		res, err := c.ImportActivityListXLSXWithBodyWithResponse(ctx, &client.ImportActivityListXLSXParams{
			PromisePeriodRef: given(list.PromisePeriodRef), AgreementRef: given(list.AgreementRef), DryRun: &dryRun},
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body)
		if err != nil {
			return nil, unreachable(server, err)
		}
		status, answer, report = res.StatusCode(), res.Body, res.JSON200
	default:
		res, err := c.CreateImportWithBodyWithResponse(ctx, &client.CreateImportParams{DryRun: &dryRun}, "application/json", body)
		if err != nil {
			return nil, unreachable(server, err)
		}
		status, answer, report = res.StatusCode(), res.Body, res.JSON200
	}
	if status != http.StatusOK || report == nil {
		return nil, problemOf(status, answer)
	}
	rep := &samverkan.ImportReport{DryRun: report.DryRun, Created: report.Created, Updated: report.Updated, Unchanged: report.Unchanged}
	for _, it := range report.Items {
		id := ""
		if it.Id != nil {
			id = *it.Id
		}
		rep.Items = append(rep.Items, samverkan.ImportItem{Kind: string(it.Kind), Ref: it.Ref, ID: id, Action: samverkan.ImportAction(it.Action)})
	}
	return rep, nil
}

// unreachable says in words that the server did not answer, without Go's wrapping of the
// request it was sending.
func unreachable(server string, err error) error {
	var op *net.OpError
	if errors.As(err, &op) {
		return fmt.Errorf("could not reach the server at %s: %v", server, op.Err)
	}
	return fmt.Errorf("could not reach the server at %s: %w", server, err)
}

// given is an optional parameter: nil when empty, so that the client leaves it out.
func given(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// problemOf turns a problem document into an error that explain prints field by field.
func problemOf(status int, body []byte) error {
	var p struct {
		Status int    `json:"status"`
		Title  string `json:"title"`
		Detail string `json:"detail"`
		Errors []struct {
			Pointer, Parameter, Sheet, Column, Detail string
			Row                                       int
		} `json:"errors"`
	}
	if json.Unmarshal(body, &p) != nil || p.Title == "" {
		return fmt.Errorf("the server answered %d", status)
	}
	e := &samverkan.Error{Code: samverkan.EInvalid, Message: fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail)}
	for _, f := range p.Errors {
		e.Fields = append(e.Fields, samverkan.FieldError{Pointer: f.Pointer, Parameter: f.Parameter, Sheet: f.Sheet, Row: f.Row, Column: f.Column, Detail: f.Detail})
	}
	return e
}

func printReport(rep *samverkan.ImportReport) {
	type counts struct{ created, updated, unchanged int }
	byKind := map[string]*counts{}
	var order []string
	for _, it := range rep.Items {
		c := byKind[it.Kind]
		if c == nil {
			c = &counts{}
			byKind[it.Kind] = c
			order = append(order, it.Kind)
		}
		switch it.Action {
		case samverkan.ImportCreated:
			c.created++
		case samverkan.ImportUpdated:
			c.updated++
		default:
			c.unchanged++
		}
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 2, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "KIND\tCREATED\tUPDATED\tUNCHANGED\t")
	for _, k := range order {
		c := byKind[k]
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t\n", k, c.created, c.updated, c.unchanged)
	}
	fmt.Fprintf(w, "total\t%d\t%d\t%d\t\n", rep.Created, rep.Updated, rep.Unchanged)
	w.Flush()
	if rep.DryRun {
		fmt.Println("dry run: nothing was written")
	}
}
