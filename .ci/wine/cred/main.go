// Command cred writes or reads one Credential Manager entry the way
// Keywarden's keyring does (app/vault: service "keywarden", the record ID
// as user), for the installer's test under Wine (.ci/wine/setup-test.sh):
//
//	cred set ID   stores a made-up secret (not a real key) under ID
//	cred get ID   exits 0 if the entry is there, 3 if it is not (1: an error)
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/zalando/go-keyring"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: cred set|get ID")
		os.Exit(2)
	}
	id := os.Args[2]
	var err error
	switch os.Args[1] {
	case "set":
		err = keyring.Set(vault.KeyringService, id, "setup-test, not a secret")
	case "get":
		_, err = keyring.Get(vault.KeyringService, id)
	default:
		err = fmt.Errorf("%q is neither set nor get", os.Args[1])
	}
	if errors.Is(err, keyring.ErrNotFound) {
		os.Exit(3)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cred:", err)
		os.Exit(1)
	}
}
