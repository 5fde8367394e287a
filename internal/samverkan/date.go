package samverkan

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"
	_ "time/tzdata" // Swedish days on any machine, the distroless image included
)

// Day truncates t to its calendar day in Swedish time, as a UTC midnight. Validity dates and
// "in force today" are calendar questions, and the parties live in Europe/Stockholm.
func Day(t time.Time) time.Time {
	t = t.In(stockholm)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

var stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic(err) // embedded tzdata has it
	}
	return loc
}()

// DayStart is the instant the Swedish calendar day of t began: when answers that depend on
// "today" (phases, periods in force) may last have changed without any write.
func DayStart(t time.Time) time.Time {
	t = t.In(stockholm)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, stockholm)
}

// Dates are calendar days of the years FirstDateYear to LastDateYear (limits.go), the same on
// both databases (PostgreSQL has no year 0; SQLite would store anything).
var (
	dateISO    = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)
	dateLoose  = regexp.MustCompile(`^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$`)
	dateTimed  = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}`)
	dateNumber = regexp.MustCompile(`^[+-]?\d+([.,]\d+)?$`)
)

// ParseDate reads a calendar day written YYYY-MM-DD, as a UTC midnight. Its error says what is
// wrong with s in words whoever typed s can act on ("2026-02-30 is not a day: February 2026
// has 28 days"), so JSON fields and spreadsheet cells are refused for the same reasons.
func ParseDate(s string) (time.Time, error) {
	if m := dateISO.FindStringSubmatch(s); m != nil {
		return calendarDay(s, dateDigits(m[1]), dateDigits(m[2]), dateDigits(m[3]))
	}
	return time.Time{}, errors.New(notADate(s))
}

// calendarDay is year-month-day if that is a calendar day of the years allowed.
func calendarDay(s string, year, month, dayOfMonth int) (time.Time, error) {
	if year < FirstDateYear || year > LastDateYear {
		when := "early"
		if year > LastDateYear {
			when = "late"
		}
		return time.Time{}, fmt.Errorf("%s is too %s: a date must be between the years %d and %d", s, when, FirstDateYear, LastDateYear)
	}
	if month < 1 || month > 12 {
		return time.Time{}, fmt.Errorf("%s is not a day: months are numbered 01 to 12", s)
	}
	if dayOfMonth < 1 {
		return time.Time{}, fmt.Errorf("%s is not a day: days are numbered from 01", s)
	}
	// time.Date normalises 30 February to 2 March; a day past the month's last is not a day.
	last := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if dayOfMonth > last {
		return time.Time{}, fmt.Errorf("%s is not a day: %s %d has %d days", s, time.Month(month), year, last)
	}
	return time.Date(year, time.Month(month), dayOfMonth, 0, 0, 0, 0, time.UTC), nil
}

// notADate says why s, not written YYYY-MM-DD, is not taken for a date, and what to write when
// that can be told without guessing: with the year first it can, 1/3/2026 could be either.
func notADate(s string) string {
	if s == "" {
		return "is empty: write a date like 2026-03-01"
	}
	if dateNumber.MatchString(s) {
		if y := dateDigits(s); len(s) == 4 && y >= FirstDateYear && y <= LastDateYear {
			return s + " is a year, not a date: write " + s + "-01-01"
		}
		return s + " is a number, not a date: write it YYYY-MM-DD, e.g. 2026-03-01"
	}
	if m := dateLoose.FindStringSubmatch(s); m != nil {
		fixed := fmt.Sprintf("%s-%02d-%02d", m[1], dateDigits(m[2]), dateDigits(m[3]))
		if _, err := ParseDate(fixed); err != nil {
			return err.Error()
		}
		return s + " is not written YYYY-MM-DD: write " + fixed
	}
	if m := dateTimed.FindStringSubmatch(s); m != nil {
		return s + " has a time of day: write the date alone, " + m[1]
	}
	return strconv.Quote(s) + " is not a date written YYYY-MM-DD, e.g. 2026-03-01"
}

// dateDigits reads digits the patterns above have matched.
func dateDigits(digits string) int {
	n, _ := strconv.Atoi(digits)
	return n
}
