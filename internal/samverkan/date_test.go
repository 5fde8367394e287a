package samverkan

import (
	"strings"
	"testing"
	"time"
)

func TestParseDateReadsCalendarDaysWrittenYYYYMMDD(t *testing.T) {
	for _, s := range []string{"2026-03-01", "2024-02-29", "1900-01-01", "2999-12-31"} {
		d, err := ParseDate(s)
		if err != nil || d.Format(time.DateOnly) != s || d.Location() != time.UTC {
			t.Errorf("ParseDate(%q) = %v, %v", s, d, err)
		}
	}
}

// What a person typed is answered with what is wrong with it, not with the format alone.
func TestParseDateSaysWhatIsWrong(t *testing.T) {
	for s, want := range map[string]string{
		"2026":                "2026 is a year, not a date: write 2026-01-01",
		"46082":               "46082 is a number, not a date",
		"2026-02-30":          "2026-02-30 is not a day: February 2026 has 28 days",
		"2024-02-30":          "February 2024 has 29 days",
		"2026-04-31":          "April 2026 has 30 days",
		"2026-01-00":          "days are numbered from 01",
		"2026-13-01":          "2026-13-01 is not a day: months are numbered 01 to 12",
		"2026-00-10":          "months are numbered 01 to 12",
		"1899-12-30":          "1899-12-30 is too early: a date must be between the years 1900 and 2999",
		"3000-01-01":          "3000-01-01 is too late",
		"2026-3-1":            "2026-3-1 is not written YYYY-MM-DD: write 2026-03-01",
		"2026/03/01":          "write 2026-03-01",
		"2026-03-01T10:00:00": "has a time of day: write the date alone, 2026-03-01",
		"2026-03-01 10:00":    "has a time of day",
		"1/3/2026":            `"1/3/2026" is not a date written YYYY-MM-DD, e.g. 2026-03-01`,
		" 2026-03-01":         `" 2026-03-01" is not a date`,
		"":                    "is empty",
	} {
		_, err := ParseDate(s)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseDate(%q): %v, want it to say %q", s, err, want)
		}
	}
}
