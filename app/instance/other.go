//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package instance

import "net"

// Windows and the rest: no single-copy guarantee (a named pipe would be the
// Windows way). Listen and Send return ErrUnsupported and the app runs each
// part as often as it is started.

func listenPlatform(string) (net.Listener, func() error, error) { return nil, nil, ErrUnsupported }

func dialPlatform(string) (net.Conn, error) { return nil, ErrUnsupported }
