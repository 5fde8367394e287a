package samverkan_test

import (
	"net/netip"
	"testing"

	"github.com/samverkan/samverkan/internal/samverkan"
)

func TestOnlyPublicAddressesAreWebhookTargets(t *testing.T) {
	for addr, public := range map[string]bool{
		"127.0.0.1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false, "169.254.169.254": false,
		"100.64.0.1": false, "0.0.0.0": false, "224.0.0.1": false, "255.255.255.255": false, "198.18.0.1": false,
		"::1": false, "fe80::1": false, "fc00::1": false, "::ffff:127.0.0.1": false, "64:ff9b::a00:1": false,
		"64:ff9b:1::a00:1": false, "2002:a00:1::1": false, "2001:0:a00:1::1": false, "::7f00:1": false, "fec0::1": false,
		"193.180.251.200": true, "2a00:1450:4001::1": true, "8.8.8.8": true,
	} {
		if got := samverkan.PublicAddress(netip.MustParseAddr(addr)); got != public {
			t.Errorf("%s public: %v, want %v", addr, got, public)
		}
	}
}
