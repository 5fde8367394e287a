package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"text/tabwriter"

	samverkanapi "github.com/samverkan/samverkan"
	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/pkg/client"
)

// importFile imports a JSON document, into the local database as the system, or through a
// running server's API with a token (the same call an integration makes).
func importFile(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	db := databaseFlag(fs)
	dryRun := fs.Bool("dry-run", false, "check and report, write nothing")
	server := fs.String("server", "", "import through this server's API instead of the local database")
	tok := fs.String("token", os.Getenv("SAMVERKAN_TOKEN"), "bearer token for --server (env SAMVERKAN_TOKEN)")
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
	if *server != "" {
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
	var rep *samverkan.ImportReport
	if *server != "" {
		rep, err = importRemote(ctx, *server, *tok, raw, *dryRun)
	} else {
		svc, st, oerr := openService(ctx, *db)
		if oerr != nil {
			return oerr
		}
		defer st.Close()
		system := &samverkan.Principal{TokenName: "command line import", Role: samverkan.RoleAdmin}
		rep, err = httpapi.ImportFile(ctx, svc, samverkanapi.OpenAPI, system, raw, *dryRun)
	}
	if err != nil {
		return explain(err)
	}
	printReport(rep)
	return nil
}

func importRemote(ctx context.Context, server, token string, raw []byte, dryRun bool) (*samverkan.ImportReport, error) {
	c, err := client.NewClientWithResponses(server, client.WithRequestEditorFn(client.BearerToken(token)))
	if err != nil {
		return nil, err
	}
	res, err := c.CreateImportWithBodyWithResponse(ctx, &client.CreateImportParams{DryRun: dryRun}, "application/json", bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	if res.StatusCode() != http.StatusOK || res.JSON200 == nil {
		var p httpapi.Problem
		if json.Unmarshal(res.Body, &p) == nil && p.Title != "" {
			e := &samverkan.Error{Code: samverkan.EInvalid, Message: fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail)}
			for _, f := range p.Errors {
				e.Fields = append(e.Fields, samverkan.FieldError{Pointer: f.Pointer, Parameter: f.Parameter, Detail: f.Detail})
			}
			return nil, e
		}
		return nil, fmt.Errorf("server answered %s", res.Status())
	}
	r := res.JSON200
	rep := &samverkan.ImportReport{DryRun: r.DryRun, Created: r.Created, Updated: r.Updated, Unchanged: r.Unchanged}
	for _, it := range r.Items {
		rep.Items = append(rep.Items, samverkan.ImportItem{Kind: string(it.Kind), Ref: it.Ref, ID: it.Id, Action: samverkan.ImportAction(it.Action)})
	}
	return rep, nil
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
