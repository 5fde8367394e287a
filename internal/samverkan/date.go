package samverkan

import (
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
