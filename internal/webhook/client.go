package webhook

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// SafeClient sends webhook requests without ever connecting to a private, loopback,
// link-local, shared or otherwise non-public address, whatever a host name resolves to at
// the moment of connecting: a webhook URL must not become a way into the operator's own
// network (server-side request forgery). The check is made on the address actually dialled,
// so a name that resolves differently later (DNS rebinding) gains nothing. Redirects are
// not followed; a 3xx answer is a failed attempt. No proxy from the environment is used, as
// the proxy's address is not the endpoint's.
func SafeClient() *http.Client {
	return client(refuseNonPublic)
}

// InsecureClient sends anywhere, private networks included: for development and for tests
// against a receiver on the same machine.
func InsecureClient() *http.Client {
	return client(nil)
}

func client(control func(network, address string, c syscall.RawConn) error) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second, Control: control}
	return &http.Client{
		Transport: &http.Transport{
			DialContext:           dialer.DialContext,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: 10 * time.Second,
			MaxIdleConnsPerHost:   4,
			IdleConnTimeout:       90 * time.Second,
			ForceAttemptHTTP2:     true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// ErrNonPublicAddress is the reason a delivery to a non-public address fails.
var ErrNonPublicAddress = errors.New("the endpoint resolves to a non-public address")

func refuseNonPublic(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !Public(ip) {
		return ErrNonPublicAddress
	}
	return nil
}

// nonPublic are the special-purpose ranges the standard library's predicates leave out.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // shared address space (carrier-grade NAT)
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, broadcast
	// IPv6 forms that carry an IPv4 address, which may be a private one: NAT64 (well-known
	// and local-use), 6to4, Teredo and the old IPv4-compatible form. Webhook receivers have
	// plain addresses.
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("2002::/16"),
	netip.MustParsePrefix("2001::/32"),
	netip.MustParsePrefix("::/96"),
	netip.MustParsePrefix("100::/64"),      // discard
	netip.MustParsePrefix("2001:db8::/32"), // documentation
	netip.MustParsePrefix("fec0::/10"),     // site-local, deprecated but still routed somewhere
}

// Public reports whether an address is one a webhook may be sent to.
func Public(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || !ip.IsGlobalUnicast() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}
