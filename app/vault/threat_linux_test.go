package vault

import (
	"os/exec"
	"strings"
	"testing"
)

// TestKeyring_anyProgramOfTheUserCanRead pins a limit the README's threat
// model states: the Secret Service hands Keywarden's secrets to any program
// of the same user that asks (here secret-tool, a separate process that
// is not Keywarden and was never allowed anything). It asks the keyring
// daemon, not Keywarden, so Keywarden being non-dumpable changes nothing.
func TestKeyring_anyProgramOfTheUserCanRead(t *testing.T) {
	k := liveKeyring(t)
	if _, err := exec.LookPath("secret-tool"); err != nil {
		skipOrFail(t, "secret-tool is missing (Debian package libsecret-tools)")
	}
	id := NewID()
	t.Cleanup(func() { _ = k.Delete(id) })
	want := testSecret()
	if err := k.Set(id, want); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("secret-tool", "lookup", "service", testService, "username", id).Output()
	if err != nil {
		t.Fatalf("secret-tool lookup: %v", err)
	}
	if !strings.Contains(string(out), want.PrivateKey) {
		t.Fatal("secret-tool did not get the private key: the README's threat model says it does; update it")
	}
}
