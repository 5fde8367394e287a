package webhook

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"

	"github.com/samverkan/samverkan/internal/samverkan"
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
	if err != nil || !samverkan.PublicAddress(ip) {
		return ErrNonPublicAddress
	}
	return nil
}
