// Command krakenserve serves the simulated exchange (kraken/krakentest) on
// 127.0.0.1 for the Windows smoke test (.ci/wine/smoke.sh), with one key
// whose permissions are a read-only dashboard's. It writes the exchange's
// address, the API key and the private key, one a line, to the file named
// by its argument, and serves until it is killed. A test fixture: the keys
// are made up and the exchange is a simulation.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: krakenserve FILE")
		os.Exit(2)
	}
	ex := krakentest.New()
	defer ex.Close()
	k := ex.AddKey(krakentest.Key{Name: "smoke-wine", Permissions: vault.PurposeDashboard.LeastPermissions()})
	info := fmt.Sprintf("%s\n%s\n%s\n", ex.URL(), k.APIKey, k.PrivateKey)
	if err := os.WriteFile(os.Args[1], []byte(info), 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	<-sigs
}
