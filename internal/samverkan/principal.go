package samverkan

import "time"

type Role string

const (
	RoleEditor Role = "editor"
	RoleAdmin  Role = "admin"
	// RoleSystem acts for the system itself in history: the command line, the demo loader, migrations.
	RoleSystem Role = "system"
)

type OrgType string

const (
	OrgMunicipality OrgType = "municipality"
	OrgPoliceArea   OrgType = "police_area"
)

// Principal is who a request acts for: the holder of a token. Anonymous callers have none.
type Principal struct {
	TokenID   string
	TokenName string
	Role      Role
	OrgType   OrgType // empty for admins
	OrgID     string  // municipality code or police area id; empty for admins
}

// Token is an API credential. Only the hash of its secret is ever stored.
type Token struct {
	ID        string
	Name      string
	Role      Role
	OrgType   OrgType
	OrgID     string
	Hash      []byte
	CreatedAt time.Time
	RevokedAt *time.Time
}

// IsParty reports whether the principal's organization is one of the parties.
func (p *Principal) IsParty(parties Parties) bool {
	if p == nil {
		return false
	}
	switch p.OrgType {
	case OrgMunicipality:
		return p.OrgID == parties.MunicipalityCode
	case OrgPoliceArea:
		return p.OrgID != "" && p.OrgID == parties.PoliceAreaID
	}
	return false
}

// CanWrite reports whether the principal may change material of these parties.
func (p *Principal) CanWrite(parties Parties) bool {
	return p != nil && (p.Role == RoleAdmin || p.IsParty(parties))
}

// CanSeeDrafts reports whether the principal may read drafts of these parties.
func (p *Principal) CanSeeDrafts(parties Parties) bool { return p.CanWrite(parties) }

// requireWrite is the single authorization rule for writes.
func requireWrite(p *Principal, parties Parties) error {
	if p == nil {
		return Errorf(EUnauthorized, "This change needs a bearer token.")
	}
	if !p.CanWrite(parties) {
		return Errorf(EForbidden, "The token's organization is not a party to this material (municipality %s, police area %s).",
			orNone(parties.MunicipalityCode), orNone(parties.PoliceAreaID))
	}
	return nil
}

func requireAdmin(p *Principal) error {
	if p == nil {
		return Errorf(EUnauthorized, "This change needs a bearer token.")
	}
	if p.Role != RoleAdmin {
		return Errorf(EForbidden, "Only an admin token may change municipalities and police areas.")
	}
	return nil
}
