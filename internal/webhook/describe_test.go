package webhook

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"testing"
)

// A certificate problem is named for what the receiver's operator must fix: the host name,
// the authority or the validity period.
func TestACertificateProblemSaysWhichOne(t *testing.T) {
	verification := func(err error) error {
		return fmt.Errorf("Post \"https://mottagare.example.se/samverkan\": %w", &tls.CertificateVerificationError{Err: err})
	}
	for want, err := range map[string]error{
		"the endpoint's TLS certificate is not valid for its host name":                            verification(x509.HostnameError{Certificate: &x509.Certificate{}, Host: "mottagare.example.se"}),
		"the endpoint's TLS certificate is not signed by a publicly trusted certificate authority": verification(x509.UnknownAuthorityError{}),
		"the endpoint's TLS certificate has expired or is not valid yet":                           verification(x509.CertificateInvalidError{Reason: x509.Expired}),
		"the endpoint's TLS certificate could not be verified":                                     verification(x509.CertificateInvalidError{Reason: x509.NotAuthorizedToSign}),
	} {
		if got := describe(err); got != want {
			t.Errorf("%v\n  is described as %q\n  want %q", err, got, want)
		}
	}
}
