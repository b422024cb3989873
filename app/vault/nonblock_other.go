//go:build !unix

package vault

// openNonblock is nothing here: Windows keeps named pipes out of ordinary
// folders, so an open of a state file cannot block on one. The open file is
// still checked to be regular (see openRegular).
const openNonblock = 0
