// Package keys is the one owner of every workflow on a key: add (with the
// exchange's answer), rotate, check one or all, mark reviewed, edit,
// snooze, mark compromised, revoke, remove, and the summary every face
// shows (which keys need attention, how many, why). The window (app/ui),
// the tray part (app/tray), the command line (app/cli) and the scheduler
// (app/remind, through the tray) call it; none of them writes records or
// secrets itself. It also owns the app's settings (settings.json), and
// the one watch on the files every face shows (Service.Watch), through
// which the faces follow what other processes change.
//
// The invariants live here:
//   - one record per API key (vault.Record.KeyPrint);
//   - a rotation's two records point at each other, and a removal clears
//     the other side;
//   - the lifecycle only moves forward (active and parked, then leaked,
//     then revoked), and a leak is remembered after the revocation;
//   - the keyring and the records agree after a crash at any moment: a
//     record is written first marked pending, then the secret, then the
//     mark is cleared; removal runs in reverse; Repair finishes or undoes
//     what a killed process left.
//
// It imports no GUI code.
package keys
