package httpapi_test

import (
	"os"
	"testing"
	"time"
	_ "time/tzdata" // the zone below, on machines without a zone database
)

// The suite runs in the zone of a Swedish server, not in the UTC of CI machines: every time
// the API stores, compares and answers must mean the same instant whatever the server's zone.
func TestMain(m *testing.M) {
	stockholm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic(err)
	}
	time.Local = stockholm
	os.Exit(m.Run())
}
