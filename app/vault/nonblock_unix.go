//go:build unix

package vault

import "syscall"

// openNonblock makes an open return at once whatever the path is: a named
// pipe without a writer would otherwise block the open for ever. It also
// keeps a terminal device from becoming the controlling terminal. The file
// is checked to be regular right after (see openRegular); reads of a
// regular file ignore the flag.
const openNonblock = syscall.O_NONBLOCK | syscall.O_NOCTTY
