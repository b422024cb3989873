//go:build darwin || freebsd

package instance

import "golang.org/x/sys/unix"

// peerUID returns the user ID of the process at the other end of the Unix
// socket fd, read with LOCAL_PEERCRED.
func peerUID(fd int) (uint32, error) {
	cred, err := unix.GetsockoptXucred(fd, unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
	if err != nil {
		return 0, err
	}
	return cred.Uid, nil
}
