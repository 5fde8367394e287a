package samverkan

import "time"

// Municipality is identified by its official four-digit code (Strängnäs 0486).
type Municipality struct {
	Code         string    `json:"code"`
	Name         string    `json:"name"`
	County       string    `json:"county,omitempty"`
	PoliceAreaID string    `json:"policeAreaId,omitempty"` // the local police area that serves it, if known
	Version      int64     `json:"version"`
	CreatedAt    time.Time `json:"createdAt"`
	UpdatedAt    time.Time `json:"updatedAt"`
}

// PoliceArea is a local police area (lokalpolisområde); one serves several municipalities.
type PoliceArea struct {
	ID           string    `json:"id"` // a stable slug such as "lpo-eskilstuna"
	Name         string    `json:"name"`
	PoliceRegion string    `json:"policeRegion,omitempty"`
	Version      int64     `json:"version"`
	CreatedAt    time.Time `json:"createdAt"`
	UpdatedAt    time.Time `json:"updatedAt"`
}

// Parties names the two sides of every cooperation: a municipality and a police area.
type Parties struct {
	MunicipalityCode string `json:"municipalityCode"`
	PoliceAreaID     string `json:"policeAreaId"`
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
