package samverkan

import "time"

// Municipality is identified by its official four-digit code (Strängnäs 0486).
type Municipality struct {
	Code         string
	Name         string
	County       string
	PoliceAreaID string // the local police area that serves it, if known
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// PoliceArea is a local police area (lokalpolisområde); one serves several municipalities.
type PoliceArea struct {
	ID           string // a stable slug such as "lpo-eskilstuna"
	Name         string
	PoliceRegion string
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Parties names the two sides of every cooperation: a municipality and a police area.
type Parties struct {
	MunicipalityCode string
	PoliceAreaID     string
}

// Signatory is a public official who signed; residents never appear here.
type Signatory struct {
	Name  string `json:"name"`
	Role  string `json:"role"`
	Party Party  `json:"party"`
}

type Party string

const (
	PartyMunicipality Party = "municipality"
	PartyPoliceArea   Party = "police_area"
)

// Document is an attached file, typically a PDF published on a party's website.
type Document struct {
	Title     string `json:"title"`
	URL       string `json:"url,omitempty"`
	MediaType string `json:"mediaType,omitempty"`
	SizeBytes *int64 `json:"sizeBytes,omitempty"`
}
