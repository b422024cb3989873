//go:build linux || darwin || freebsd

package instance

import (
	"fmt"
	"net"
)

// checkPeer returns nil if the process at the other end of c runs as uid,
// which peerUID reads from the socket.
func checkPeer(c net.Conn, uid int) error {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return fmt.Errorf("not a Unix socket")
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return err
	}
	var peer uint32
	var perr error
	if err := raw.Control(func(fd uintptr) {
		peer, perr = peerUID(int(fd))
	}); err != nil {
		return err
	}
	if perr != nil {
		return perr
	}
	if int(peer) != uid {
		return fmt.Errorf("the peer runs as user %d", peer)
	}
	return nil
}
