package samverkan

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// Host is the host of an http or https URL as a browser's URL parser reads it (the host parser
// of the WHATWG URL Standard): either a domain in its ASCII form or an address. It is what a
// browser, and after canonicalisation this server, connects to, so that a check made on it
// cannot be sidestepped by spelling the same host another way: "0x7f000001", "127.1",
// "2130706433" and "１２７。０。０。１" are all 127.0.0.1, "ⓛⓞⓒⓐⓛⓗⓞⓢⓣ" is localhost.
type Host struct {
	Domain string     // the ASCII form of a domain (lower case, punycode); empty for an address
	Addr   netip.Addr // an IPv4 or IPv6 address; the zero Addr for a domain
}

// ErrInvalidHost is the reason a host is none to a URL parser.
var ErrInvalidHost = errors.New("invalid host")

// urlIDNA is domain to ASCII as the URL Standard has it: UTS #46 non-transitional processing
// with CheckBidi and CheckJoiners, without CheckHyphens, UseSTD3ASCIIRules or VerifyDnsLength
// (the forbidden code points are checked after it).
var urlIDNA = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.Transitional(false),
	idna.StrictDomainName(false), idna.CheckHyphens(false), idna.VerifyDNSLength(false))

// ParseHost parses a URL's host as the URL Standard does for the special schemes (http,
// https): input is the host as the URL has it, percent-decoded, without the port, an IPv6
// address in brackets. A domain is mapped by IDNA (case, width, compatibility forms, the
// ideographic full stop); a domain whose last label is a number is an IPv4 address in one of
// the numeric forms (1 to 4 parts, each decimal, octal with a leading 0 or hexadecimal with
// 0x, the last filling the remaining bytes) or no host at all.
func ParseHost(input string) (Host, error) {
	if strings.HasPrefix(input, "[") {
		inner, ok := strings.CutSuffix(input[1:], "]")
		// netip takes zones ("%eth0") and IPv4 addresses, which the URL Standard's IPv6
		// parser does not.
		if !ok || strings.ContainsAny(inner, "%[]") || !strings.Contains(inner, ":") {
			return Host{}, fmt.Errorf("%w: an IPv6 address in brackets is malformed", ErrInvalidHost)
		}
		ip, err := netip.ParseAddr(inner)
		if err != nil {
			return Host{}, fmt.Errorf("%w: an IPv6 address in brackets is malformed", ErrInvalidHost)
		}
		return Host{Addr: ip}, nil
	}
	if input == "" {
		return Host{}, fmt.Errorf("%w: the host is empty", ErrInvalidHost)
	}
	ascii, err := urlIDNA.ToASCII(input)
	if err != nil || ascii == "" {
		return Host{}, fmt.Errorf("%w: the name is not a valid international domain name", ErrInvalidHost)
	}
	if i := strings.IndexFunc(ascii, forbiddenDomainCodePoint); i >= 0 {
		return Host{}, fmt.Errorf("%w: it contains %q", ErrInvalidHost, ascii[i:i+1])
	}
	if endsInANumber(ascii) {
		ip, ok := parseIPv4(ascii)
		if !ok {
			return Host{}, fmt.Errorf("%w: a name whose last label is a number must be an IPv4 address", ErrInvalidHost)
		}
		return Host{Addr: ip}, nil
	}
	return Host{Domain: ascii}, nil
}

// String is the host as a URL has it: the domain, the IPv4 address dotted, the IPv6 address
// in brackets.
func (h Host) String() string {
	switch {
	case h.Domain != "":
		return h.Domain
	case h.Addr.Is4():
		return h.Addr.String()
	case h.Addr.IsValid():
		return "[" + h.Addr.String() + "]"
	}
	return ""
}

// Local reports whether the host is this machine or not public by its name alone: localhost
// or a name under it, or an address PublicAddress refuses. A name that resolves to such an
// address is only found out when connecting (package webhook checks every address dialled).
func (h Host) Local() bool {
	if h.Addr.IsValid() {
		return !PublicAddress(h.Addr)
	}
	name := strings.TrimRight(h.Domain, ".")
	return name == "localhost" || strings.HasSuffix(name, ".localhost")
}

// forbiddenDomainCodePoint is the URL Standard's forbidden domain code point.
func forbiddenDomainCodePoint(r rune) bool {
	return r <= 0x20 || r == 0x7f || strings.ContainsRune("#%/:<>?@[\\]^|", r)
}

// endsInANumber is the URL Standard's ends-in-a-number checker: the last label (after a
// trailing dot) is all digits or an IPv4 number.
func endsInANumber(s string) bool {
	parts := strings.Split(s, ".")
	if parts[len(parts)-1] == "" {
		if len(parts) == 1 {
			return false
		}
		parts = parts[:len(parts)-1]
	}
	last := parts[len(parts)-1]
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return true
	}
	_, ok := parseIPv4Number(last)
	return ok
}

// parseIPv4 is the URL Standard's IPv4 parser.
func parseIPv4(s string) (netip.Addr, bool) {
	parts := strings.Split(s, ".")
	if parts[len(parts)-1] == "" && len(parts) > 1 {
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	numbers := make([]uint64, len(parts))
	for i, p := range parts {
		n, ok := parseIPv4Number(p)
		if !ok {
			return netip.Addr{}, false
		}
		numbers[i] = n
	}
	last := numbers[len(numbers)-1]
	if last >= 1<<(8*(5-len(numbers))) {
		return netip.Addr{}, false
	}
	ipv4 := last
	for i, n := range numbers[:len(numbers)-1] {
		if n > 255 {
			return netip.Addr{}, false
		}
		ipv4 += n << (8 * (3 - i))
	}
	return netip.AddrFrom4([4]byte{byte(ipv4 >> 24), byte(ipv4 >> 16), byte(ipv4 >> 8), byte(ipv4)}), true
}

// parseIPv4Number is the URL Standard's IPv4 number parser: decimal, octal after a leading 0,
// hexadecimal after 0x; "0x" alone is 0. A number too large for any address is
// math.MaxUint64, which every caller refuses.
func parseIPv4Number(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	base := 10
	switch {
	case len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X"):
		s, base = s[2:], 16
	case len(s) >= 2 && s[0] == '0':
		s, base = s[1:], 8
	}
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseUint(s, base, 64)
	if errors.Is(err, strconv.ErrRange) {
		return math.MaxUint64, true
	}
	return n, err == nil
}
