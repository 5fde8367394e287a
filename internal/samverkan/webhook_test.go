package samverkan_test

import (
	"slices"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// After a rotation the old secret signs next to the new one for SecretGrace, then no more.
func TestARotatedOutSecretSignsForADayOnly(t *testing.T) {
	rotated := time.Date(2026, 11, 24, 13, 0, 0, 0, time.UTC)
	until := rotated.Add(samverkan.SecretGrace)
	w := samverkan.Webhook{Secret: "whsec_ny", PreviousSecret: "whsec_gammal", PreviousSecretUntil: &until}
	for _, c := range []struct {
		at   time.Time
		want []string
	}{
		{rotated, []string{"whsec_ny", "whsec_gammal"}},
		{until.Add(-time.Nanosecond), []string{"whsec_ny", "whsec_gammal"}},
		{until, []string{"whsec_ny"}},
		{until.Add(time.Hour), []string{"whsec_ny"}},
	} {
		if got := w.SigningSecrets(c.at); !slices.Equal(got, c.want) {
			t.Errorf("at %s signed with %v, want %v", c.at.Format(time.RFC3339Nano), got, c.want)
		}
	}
	never := samverkan.Webhook{Secret: "whsec_ny"}
	if got := never.SigningSecrets(rotated); !slices.Equal(got, []string{"whsec_ny"}) {
		t.Errorf("a webhook never rotated signs with %v", got)
	}
}
