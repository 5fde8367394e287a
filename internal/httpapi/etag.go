package httpapi

import (
	"strconv"
	"strings"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// etag is a resource's version as a strong entity tag.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// ifMatch reads the version an If-Match header names. "*" matches any version. A value that
// is no version of ours can match nothing, which is a failed precondition.
func ifMatch(h string) (int64, error) {
	h = strings.TrimSpace(h)
	switch {
	case h == "":
		return 0, samverkan.Errorf(samverkan.EPreconditionRequired, "Send the ETag you read in If-Match, so that changes by others are not overwritten.")
	case h == "*":
		return samverkan.AnyVersion, nil
	}
	if strings.HasPrefix(h, "W/") {
		return 0, samverkan.Errorf(samverkan.EPreconditionFailed,
			"If-Match %s is a cache validator from a read without a token; read the resource with your token to get its version ETag.", h)
	}
	v, err := strconv.ParseInt(strings.Trim(h, `"`), 10, 64)
	if err != nil || !strings.HasPrefix(h, `"`) || !strings.HasSuffix(h, `"`) || v < 1 {
		return 0, samverkan.Errorf(samverkan.EPreconditionFailed, "If-Match %s names no version of this resource; versions look like \"3\".", h)
	}
	return v, nil
}

// optionalIfMatch is ifMatch for operations where the header may be left out.
func optionalIfMatch(h string) (int64, error) {
	if strings.TrimSpace(h) == "" {
		return samverkan.AnyVersion, nil
	}
	return ifMatch(h)
}
