//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package store

import (
	"errors"
	"os"
)

// Without flock, SQLite's owners cannot be checked: a claim of another process waits out
// the fallback of ClaimKey, as it always did.
const canFlock = false

var (
	errLocked  = errors.New("locked by another process")
	errRemoved = errors.New("removed while being locked")
)

func lockFile(string, bool) (*os.File, error) { return nil, errors.ErrUnsupported }
