package webhook

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
)

// describe says why an attempt failed in words the webhook's owner can act on, without the
// addresses, ports or URLs of the error itself: the owner sees attempts through the API, and
// what a dial error names would turn the webhook into a probe of networks the owner does not
// see (and a URL may carry a token in its query).
func describe(err error) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var opErr *net.OpError
	var own attemptError
	switch {
	case errors.As(err, &own):
		return string(own)
	case errors.Is(err, ErrNonPublicAddress):
		return "the endpoint's host resolves to a private, loopback or otherwise non-public address"
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return "the endpoint's host name does not resolve"
		}
		return "the endpoint's host name could not be resolved"
	case errors.As(err, &hostname):
		return "the endpoint's TLS certificate is not valid for its host name"
	case errors.As(err, &unknownAuthority):
		return "the endpoint's TLS certificate is not signed by a publicly trusted certificate authority"
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return "the endpoint's TLS certificate has expired or is not valid yet"
	case errors.As(err, &certErr), errors.As(err, &invalid):
		return "the endpoint's TLS certificate could not be verified"
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return "the endpoint did not answer in time"
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return "could not connect to the endpoint"
	case strings.Contains(err.Error(), "tls:"):
		return "the TLS handshake with the endpoint failed"
	}
	return "the connection to the endpoint failed"
}

// attemptError is a failure the dispatcher words itself, safe to show as it is.
type attemptError string

func (e attemptError) Error() string { return string(e) }

func failure(format string, args ...any) error { return attemptError(fmt.Sprintf(format, args...)) }

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
