// Package review turns a key record, its last exchange readback and the
// current time into what the person should know and do: when the key is due
// for a look (ReviewInterval, NextReview, Events), what is wrong with it
// (Findings), how the keys list shows it (State, AttentionRank), and, for a
// rotated key, whether what used it has moved to its replacement
// (RotationOf: revoke the old key only once the exchange shows the new one in
// use and the old one quiet).
//
// Every function is pure: it reads the record and the time it is given and
// never the clock, the keyring or the network, so the GUI, the tray's
// scheduler and the command line all see the same answers.
package review
