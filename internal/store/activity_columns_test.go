package store

import (
	"slices"
	"sync"
	"testing"

	"gorm.io/gorm/schema"
)

// A column added to activities and forgotten here would never be written by an import.
func TestBatchedActivityUpdatesWriteEveryColumnButIdentityAndPublication(t *testing.T) {
	s, err := schema.Parse(&activityRow{}, &sync.Map{}, schema.NamingStrategy{})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range s.Fields {
		if f.DBName != "" && !slices.Contains([]string{"id", "public", "created_at"}, f.DBName) {
			want = append(want, f.DBName)
		}
	}
	slices.Sort(want)
	if got := slices.Sorted(slices.Values(activityUpdateColumns)); !slices.Equal(got, want) {
		t.Fatalf("activityUpdateColumns is %v, want %v", got, want)
	}
}
