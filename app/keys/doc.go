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
//     what a killed process left. The crash test (TestService_SurvivesKill)
//     kills a process doing adds, rotations, revocations and removals with
//     SIGKILL at random moments against the real Secret Service, 60 times,
//     and compares the records with `secret-tool search --all`: 0
//     mismatches, where the old order (secret first) left 7 secrets without
//     a record and 4 records without a secret in 20 kills.
//
// One answer to "what needs attention", so every face tells the same truth:
// a key needs attention when a review finds something of warning weight or
// worse (a problem, a review due, an expiry within a week, a replaced key
// still in use, a revoked key with after-a-leak steps left). The window's
// list and count, the tray's icon and menu, `keywarden list --json` and
// `check --json` all ask Snapshot, with the review intervals from
// settings.json applied once.
//
// One save rule for checks: revoked and leaked keys are not checked by
// "check all" (their runbook checks once); an answer never replaces a newer
// one; an answer that says nothing about the key (no network, keyring
// locked) is not saved, so Kraken's last real answer stays. A second add, or
// a rotation that pastes the old key again, is refused with the name of the
// record holding that API key (records keep a one-way print of it).
//
// The account watch (activity*.go): one read-only watch key per account
// (SetWatchKey refuses a key whose verified permissions go beyond queries)
// reads the account's ledger from where it last read it (PollActivity: at
// most MaxLedgerCallsPerPoll Ledgers calls, stopping at the first answer
// that says nothing about the ledger) and holds each new entry against what
// the account's keys are for (JudgeEntry). What needs an answer stays an
// open question in activity.json until the person says "It was me" or "Not
// me" (AnswerActivity); that file keeps only the watch's place, the open
// questions and the answers, never the ledger. A watch key that stops
// qualifying (removed, retired, drifted beyond reading, or refused by
// Kraken at two polls in a row) stops the watch with words saying what to
// do (AccountWatch.Stopped, WatchStoppedWords), for the faces to tell once
// (MarkStopTold) and show until a poll reads again.
//
// It imports no GUI code.
package keys
