package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/samverkan/samverkan/internal/samverkan"
)

func token(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("token: say create, list or revoke")
	}
	fs := flag.NewFlagSet("token "+args[0], flag.ContinueOnError)
	db := databaseFlag(fs)
	name := fs.String("name", "", "who uses the token, e.g. \"Strängnäs kommun – webbplatsen\"")
	role := fs.String("role", "editor", "editor or admin")
	municipality := fs.String("municipality", "", "municipality code the editor writes for")
	policeArea := fs.String("police-area", "", "police area id the editor writes for")
	rest := args[1:]
	var id string
	if args[0] == "revoke" && len(rest) > 0 && rest[0] != "" && rest[0][0] != '-' {
		id, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	svc, st, err := openService(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	switch args[0] {
	case "create":
		spec := samverkan.NewTokenSpec{Name: *name, Role: samverkan.Role(*role)}
		switch {
		case *municipality != "" && *policeArea != "":
			return fmt.Errorf("token create: give --municipality or --police-area, not both")
		case *municipality != "":
			spec.OrgType, spec.OrgID = samverkan.OrgMunicipality, *municipality
		case *policeArea != "":
			spec.OrgType, spec.OrgID = samverkan.OrgPoliceArea, *policeArea
		}
		secret, t, err := svc.CreateToken(ctx, spec)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(os.Stderr, "Created token %s (%s). The secret below is shown once and never stored:\n", t.ID, t.Role)
		fmt.Println(secret)
		return nil
	case "list":
		tokens, err := svc.ListTokens(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(os.Stdout, 0, 2, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tNAME\tROLE\tORGANIZATION\tCREATED\tREVOKED")
		for _, t := range tokens {
			revoked := ""
			if t.RevokedAt != nil {
				revoked = t.RevokedAt.Format(time.RFC3339)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s %s\t%s\t%s\n", t.ID, t.Name, t.Role, t.OrgType, t.OrgID, t.CreatedAt.Format(time.RFC3339), revoked)
		}
		return w.Flush()
	case "revoke":
		if id == "" {
			return fmt.Errorf("token revoke: name the token id (see token list)")
		}
		if err := svc.RevokeToken(ctx, id); err != nil {
			return explain(err)
		}
		fmt.Println("revoked", id)
		return nil
	}
	return fmt.Errorf("token: unknown command %q", args[0])
}

// explain prints a domain error's field problems one per line.
func explain(err error) error {
	if e, ok := err.(*samverkan.Error); ok && len(e.Fields) > 0 {
		msg := e.Message
		for _, f := range e.Fields {
			where := f.Pointer
			switch {
			case f.Parameter != "":
				where = f.Parameter
			case f.Row != 0 || f.Column != "":
				where = strings.TrimPrefix(fmt.Sprintf("%s row %d, column %s", f.Sheet, f.Row, f.Column), " ")
			}
			msg += fmt.Sprintf("\n  %s: %s", where, f.Detail)
		}
		return fmt.Errorf("%s", msg)
	}
	return err
}
