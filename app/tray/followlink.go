package tray

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/keywarden/keywarden/app/instance"
	"github.com/keywarden/keywarden/app/internal/safetext"
)

// linkWait is how long MainLink waits for a tray part it started to take
// the link: under Wine a start takes seconds.
const linkWait = 30 * time.Second

// MainLink runs `keywarden "keywarden:…"`, which a toast's button starts
// (and any program, or a web page, can): it hands the link to the running
// tray part, starting one if none runs, and returns the exit code. A link
// it refuses is said on stderr, in plain words.
func MainLink(args []string, stderr io.Writer) int {
	stderr = safetext.NewWriter(stderr) // the link comes from anywhere: what is said of it stays text
	if len(args) != 1 {
		fmt.Fprintln(stderr, "keywarden: a keywarden: link comes alone, without other arguments")
		return 2
	}
	l, err := ParseLink(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "keywarden: %v\n", err)
		return 2
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "keywarden: cannot find this program's own path to start the tray part: %v\n", err)
		return 1
	}
	if err := handLink(exe, l, linkWait); err != nil {
		fmt.Fprintf(stderr, "keywarden: the link was not followed: %v\n", err)
		return 1
	}
	return 0
}

// handLink hands l to the running tray part; when none runs it starts exe
// as one and hands it l once it listens, within wait. Where one running
// copy cannot be told apart it can only open the window.
func handLink(exe string, l Link, wait time.Duration) error {
	msg := l.message()
	err := instance.Send(InstanceTray, msg)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, instance.ErrUnsupported) && (l.Verb == LinkActivity || l.isAnswer()):
		return ShowActivity(exe, "") // the person answers there
	case errors.Is(err, instance.ErrUnsupported):
		return ShowWindow(exe, l.RecordID)
	case !errors.Is(err, instance.ErrNotRunning):
		return err
	}
	if err := spawn(exe, "tray"); err != nil {
		return fmt.Errorf("start the tray part: %w", err)
	}
	deadline := time.Now().Add(wait)
	for {
		time.Sleep(100 * time.Millisecond)
		err := instance.Send(InstanceTray, msg)
		if !errors.Is(err, instance.ErrNotRunning) {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the tray part did not start within %v", wait)
		}
	}
}

// followLink does what a link handed over by MainLink asks. A snooze or an
// answer must carry this run's link token: one without it (an old
// notification's, or a link Keywarden did not make) only opens the key, or
// Activity, where the person answers themselves.
func (t *Tray) followLink(l Link) {
	subject, action := l.action()
	switch {
	case action == ActionOpen || sameToken(l.Token, t.linkToken):
	case l.isAnswer():
		t.report(errors.New("an answer link without this run's token (from an older toast, or not from Keywarden) opened Activity instead, where the person answers"))
		subject, action = QuestionSubject(""), ActionOpen
	default:
		t.report(errors.New("a snooze link without this run's token (from an older toast, or not from Keywarden) opened the key instead"))
		action = ActionOpen
	}
	t.OnAction(subject, action)
}
