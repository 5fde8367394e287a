//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package store

import (
	"errors"
	"os"
	"syscall"
)

const canFlock = true

var (
	errLocked  = errors.New("locked by another process")
	errRemoved = errors.New("removed while being locked")
)

// lockFile opens the file (creating it if asked) and takes its exclusive flock without
// waiting. It fails with errLocked when another open file holds the lock, and with
// errRemoved when the file was removed (as a dead owner's) between opening and locking.
func lockFile(path string, create bool) (*os.File, error) {
	flag := os.O_RDWR
	if create {
		flag |= os.O_CREATE
	}
	f, err := os.OpenFile(path, flag, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errLocked
		}
		return nil, err
	}
	opened, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if now, err := os.Stat(path); err != nil || !os.SameFile(opened, now) {
		f.Close()
		return nil, errRemoved
	}
	return f, nil
}
