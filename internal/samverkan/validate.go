package samverkan

import "strconv"

// ptr builds a JSON pointer such as /priorityAreas/2/id.
func ptr(base string, i int, field string) string {
	s := base + "/" + strconv.Itoa(i)
	if field != "" {
		s += "/" + field
	}
	return s
}

func validateSignatories(p *Problems, ss []Signatory) {
	for i, s := range ss {
		if s.Party != PartyMunicipality && s.Party != PartyPoliceArea {
			p.Add(ptr("/signatories", i, "party"), "must be municipality or police_area")
		}
	}
}
