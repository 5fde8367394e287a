// Package national generates the national load-test dataset as one import document: 290
// municipalities under 90 police areas in 21 counties, each with a signed agreement (six
// priority areas), two promise periods (2024–2025 archived, 2026–2027 published) of five
// promises and 25 activities each, and a published follow-up of the current period. The
// records are synthetic and marked so ("Syntetisk"); the text is Swedish so that å ä ö travel
// the whole way.
package national

import (
	"encoding/json"
	"fmt"
	"io"
)

type obj = map[string]any

var (
	areaTitles = []string{
		"Skydda barn och unga från att hamna i utanförskap, kriminalitet och missbruk.",
		"Verka för trygga miljöer både inomhus och utomhus.",
		"Genom kommunikation öka medvetenheten om hur man kan förebygga brott och stärka tryggheten.",
		"Verka för att öka medvetenheten om våld i nära relation samt hedersrelaterat våld och förtryck.",
		"Arbeta för en säker och trygg trafikmiljö.",
		"Utveckla samverkan med näringslivet.",
	}
	methods     = []string{"", "Grannsamverkan", "Trygghetsvandring", "Ansvarsfull alkoholservering (AAS)", "Krogar mot knark (KMK)", "Linköpingsmodellen"}
	parties     = []string{"joint", "police", "municipality", ""}
	statuses    = []string{"planned", "ongoing", "completed", "ongoing", "postponed"}
	recurrences = []string{"recurring", "yearly", "at_events", "once", "continuous"}
)

// Write writes the document for the given number of municipalities (290 nationally) and
// activities per promise period (25).
func Write(w io.Writer, municipalities, activities int) error {
	doc := obj{}
	var policeAreas, munis, agreements, periods, followUps []obj
	for i := range 90 {
		policeAreas = append(policeAreas, obj{"id": fmt.Sprintf("lpo-syntet-%02d", i+1), "name": fmt.Sprintf("Lokalpolisområde Syntet %02d", i+1)})
	}
	for m := range municipalities {
		county := m%21 + 1
		code := fmt.Sprintf("%02d%02d", county, m/21+1)
		lpo := fmt.Sprintf("lpo-syntet-%02d", m%90+1)
		name := fmt.Sprintf("Syntetisk kommun %s", code)
		munis = append(munis, obj{"code": code, "name": name, "county": fmt.Sprintf("Syntetiska län %02d", county), "policeAreaId": lpo})

		agRef := code + "-avtal-2023-2026"
		var areas []obj
		for a, title := range areaTitles {
			areas = append(areas, obj{"ref": fmt.Sprintf("%s-pa-%d", agRef, a+1), "title": title})
		}
		agreements = append(agreements, obj{
			"ref": agRef, "municipalityCode": code, "policeAreaId": lpo, "status": "signed",
			"title":     fmt.Sprintf("Samverkansöverenskommelse mellan %s och %s 2023–2026", name, lpo),
			"validFrom": "2023-01-01", "validTo": "2026-12-31", "signedPlace": name, "signedOn": "2023-01-01",
			"goal":          "En trygg och säker kommun för människor och företag att bo, leva och verka i.",
			"priorityAreas": areas,
			"signatories": []obj{
				{"name": "Kommunstyrelsens ordförande " + code, "role": "Kommunstyrelsens ordförande", "party": "municipality"},
				{"name": "Lokalpolisområdeschef " + lpo, "role": "Lokalpolisområdeschef", "party": "police_area"},
			},
		})
		for p, years := range [][2]int{{2024, 2025}, {2026, 2027}} {
			ref := fmt.Sprintf("%s-%d-%d", code, years[0], years[1])
			var promises, acts []obj
			for k := range 5 {
				promises = append(promises, obj{"ref": fmt.Sprintf("%s-lofte-%d", ref, k+1),
					"text": fmt.Sprintf("Löfte %d: fler vuxna i det offentliga rummet genom fältarbete och fotpatrullering i %s.", k+1, name)})
			}
			for a := range activities {
				act := obj{
					"ref":              fmt.Sprintf("%s-aktivitet-%02d", ref, a+1),
					"description":      fmt.Sprintf("Aktivitet %d: trygghetsvandring med föreningar och fastighetsägare i %s, med återkoppling till invånarna.", a+1, name),
					"priorityAreaRefs": []string{fmt.Sprintf("%s-pa-%d", agRef, a%6+1)},
					"promiseRefs":      []string{fmt.Sprintf("%s-lofte-%d", ref, a%5+1)},
					"recurrence":       recurrences[a%len(recurrences)],
					"status":           statuses[(a+p)%len(statuses)],
				}
				if a%4 == 0 { // every fourth activity serves two areas, as in the real action plans
					act["priorityAreaRefs"] = []string{fmt.Sprintf("%s-pa-%d", agRef, a%6+1), fmt.Sprintf("%s-pa-%d", agRef, (a+1)%6+1)}
				}
				if party := parties[a%len(parties)]; party != "" {
					act["responsibleParty"] = party
				}
				if method := methods[a%len(methods)]; method != "" {
					act["method"] = method
				}
				acts = append(acts, act)
			}
			status := "published"
			if years[1] < 2026 {
				status = "archived"
			}
			periods = append(periods, obj{
				"ref": ref, "municipalityCode": code, "policeAreaId": lpo, "agreementRef": agRef, "status": status,
				"title":     fmt.Sprintf("Medborgarlöften %s %d–%d", name, years[0], years[1]),
				"startYear": years[0], "endYear": years[1], "promises": promises, "activities": acts,
			})
			if status == "published" {
				followUps = append(followUps, obj{
					"ref": ref + "-uppfoljning-1", "promisePeriodRef": ref, "kind": "follow_up", "status": "published",
					"title":      "Uppföljning vid centrala BRÅ, våren " + fmt.Sprint(years[0]),
					"reportedOn": fmt.Sprintf("%d-05-15", years[0]), "coversFrom": fmt.Sprintf("%d-01-01", years[0]), "coversTo": fmt.Sprintf("%d-04-30", years[0]),
					"summary":            "Arbetet följer planen; fältarbetet har utökats under våren.",
					"promiseAssessments": []obj{{"promiseRef": ref + "-lofte-1", "assessment": "partly_fulfilled"}},
				})
			}
		}
	}
	doc["policeAreas"], doc["municipalities"], doc["agreements"], doc["promisePeriods"], doc["followUps"] = policeAreas, munis, agreements, periods, followUps
	return json.NewEncoder(w).Encode(doc)
}
