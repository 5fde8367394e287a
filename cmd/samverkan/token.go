package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// tokenUsage is the usage of each token command, in the order the top-level usage lists them.
var tokenUsage = []struct{ name, line string }{
	{"create", "samverkan token create --name NAME --role editor|admin [--municipality CODE | --police-area ID] [--database-url URL]"},
	{"list", "samverkan token list   [--database-url URL]"},
	{"revoke", "samverkan token revoke ID [--database-url URL]"},
}

func token(ctx context.Context, args []string) error {
	if len(args) == 0 {
		printTokenUsage(os.Stderr)
		return fmt.Errorf("token: say create, list or revoke")
	}
	// Which command it is is settled before any flag is parsed or database opened, so that
	// neither help nor a typo creates a database file.
	switch args[0] {
	case "-h", "--help", "help":
		printTokenUsage(os.Stdout)
		return nil
	case "create":
		return tokenCreate(ctx, args[1:])
	case "list":
		return tokenList(ctx, args[1:])
	case "revoke":
		return tokenRevoke(ctx, args[1:])
	}
	printTokenUsage(os.Stderr)
	return fmt.Errorf("token: unknown command %q: say create, list or revoke", args[0])
}

func printTokenUsage(w io.Writer) {
	fmt.Fprintln(w, "usage:")
	for _, u := range tokenUsage {
		fmt.Fprintln(w, "  "+u.line)
	}
}

// tokenFlags is the flag set of one token command, whose --help shows that command's usage.
func tokenFlags(command string) *flag.FlagSet {
	fs := flag.NewFlagSet("token "+command, flag.ContinueOnError)
	fs.Usage = func() {
		for _, u := range tokenUsage {
			if u.name == command {
				fmt.Fprintln(fs.Output(), "usage: "+u.line)
			}
		}
		fs.PrintDefaults()
	}
	return fs
}

func tokenCreate(ctx context.Context, args []string) error {
	fs := tokenFlags("create")
	db := databaseFlag(fs)
	name := fs.String("name", "", "who uses the token, e.g. \"Strängnäs kommun – webbplatsen\"")
	role := fs.String("role", "editor", "editor or admin")
	municipality := fs.String("municipality", "", "municipality code the editor writes for")
	policeArea := fs.String("police-area", "", "police area id the editor writes for")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *role != string(samverkan.RoleEditor) && *role != string(samverkan.RoleAdmin) {
		return fmt.Errorf("token create: --role is editor or admin, not %q", *role)
	}
	spec := samverkan.NewTokenSpec{Name: *name, Role: samverkan.Role(*role)}
	switch {
	case *municipality != "" && *policeArea != "":
		return fmt.Errorf("token create: give --municipality or --police-area, not both")
	case *municipality != "":
		spec.OrgType, spec.OrgID = samverkan.OrgMunicipality, *municipality
	case *policeArea != "":
		spec.OrgType, spec.OrgID = samverkan.OrgPoliceArea, *policeArea
	}
	svc, st, err := openService(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	secret, t, err := svc.CreateToken(ctx, spec)
	if err != nil {
		return explain(err)
	}
	fmt.Fprintf(os.Stderr, "Created token %s (%s). The secret below is shown once and never stored:\n", t.ID, t.Role)
	fmt.Println(secret)
	return nil
}

func tokenList(ctx context.Context, args []string) error {
	fs := tokenFlags("list")
	db := databaseFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	svc, st, err := openService(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
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
}

func tokenRevoke(ctx context.Context, args []string) error {
	fs := tokenFlags("revoke")
	db := databaseFlag(fs)
	var id string
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		id, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if id == "" {
		return fmt.Errorf("token revoke: name the token id (see token list)")
	}
	svc, st, err := openService(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := svc.RevokeToken(ctx, id); err != nil {
		return explain(err)
	}
	fmt.Println("revoked", id)
	return nil
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
