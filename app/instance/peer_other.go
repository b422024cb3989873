//go:build !linux && !darwin && !freebsd && !windows

package instance

import "net"

// checkPeer accepts every peer: on these systems only the folder's 0700
// mode keeps other users out.
func checkPeer(net.Conn, int) error { return nil }
