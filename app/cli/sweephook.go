package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/sweep"
)

// stagedTimeout bounds the reading of the staged changes (not the
// keyring's unlock prompt), so a hook never hangs a commit for ever.
const stagedTimeout = 2 * time.Minute

// sweepStaged checks what is staged for the next commit of the repository
// around the current folder (git's GIT_DIR and GIT_INDEX_FILE, which a
// pre-commit hook is given, say which index) and prints what it holds. The
// exit code stops the commit when it is not ExitOK: ExitAttention when a
// copy of a stored key or a key not in Keywarden is staged, ExitError when
// the check could not be made in full (the keyring could not be read, git
// could not read the index): a check that could not look stops the commit
// too.
func sweepStaged(e *env, asJSON bool) int {
	svc, err := e.service(false)
	if err != nil {
		return e.fail(err)
	}
	list, err := svc.SweepKeys()
	if err != nil {
		return e.fail(err)
	}
	dir, err := os.Getwd()
	if err != nil {
		return e.fail(&userError{msg: "Keywarden cannot tell which folder it is in. Run it inside the repository.", err: err})
	}
	ctx, cancel := context.WithTimeout(context.Background(), stagedTimeout)
	defer cancel()
	rep, err := sweep.Staged(ctx, sweep.StagedOptions{Dir: dir, GitDir: e.getenv("GIT_DIR"), IndexFile: e.getenv("GIT_INDEX_FILE"), Keys: list.Keys})
	switch {
	case errors.Is(err, sweep.ErrNoRepository):
		return e.fail(&userError{msg: "This folder is not inside a git repository: run keywarden sweep --staged in the repository whose staged changes to check.", err: err})
	case err != nil:
		return e.fail(&userError{msg: "The staged changes could not be read, so they were not checked for Kraken keys, and a commit that runs this check is stopped. Run git status to see whether the repository is in order, then try again.", err: err})
	}
	code := ExitOK
	switch {
	case len(rep.Hits) > 0:
		code = ExitAttention
	case list.KeyringErr != nil:
		code = ExitError
	}
	keyringMsg := ""
	if list.KeyringErr != nil {
		keyringMsg = "The system keyring could not be read, so the staged changes were not checked for copies of your stored keys (keys not in Keywarden were), and a commit that runs this check is stopped. Unlock the keyring and commit again. " + message(list.KeyringErr)
	}
	var skips []skipped
	for _, k := range list.Skipped {
		skips = append(skips, skipped{ID: k.ID, Name: k.Name, Reason: k.Reason})
	}
	if asJSON {
		out := jsonStaged{StagedReport: rep, KeysLookedFor: list.Looked, SkippedKeys: skips, KeyringProblem: keyringMsg, ExitCode: code}
		if out.SkippedKeys == nil {
			out.SkippedKeys = []skipped{}
		}
		if err := writeJSON(e.rawOut, out); err != nil {
			return e.fail(err)
		}
	} else {
		// git gives a pre-commit hook GIT_INDEX_FILE; a person running
		// the check by hand has no commit to be told was stopped.
		writeStaged(e.out, rep, list.Looked, skips, e.getenv("GIT_INDEX_FILE") != "")
	}
	if keyringMsg != "" {
		e.say("keywarden: %s", keyringMsg)
	}
	return code
}

// jsonStaged is sweep --staged --json.
type jsonStaged struct {
	*sweep.StagedReport
	KeysLookedFor  int       `json:"keysLookedFor"`
	SkippedKeys    []skipped `json:"skippedKeys"`
	KeyringProblem string    `json:"keyringProblem,omitempty"`
	ExitCode       int       `json:"exitCode"`
}

// writeStaged prints what the staged changes hold, grouped by file with
// each file's next steps; one line when they hold nothing.
func writeStaged(w io.Writer, rep *sweep.StagedReport, looked int, skips []skipped, inHook bool) {
	if len(rep.Hits) == 0 {
		fmt.Fprintf(w, "keywarden: checked the %s staged in %s: no copy of your keys (%d looked for) and no other Kraken key.\n",
			count(rep.Files, "file", "files"), safe(rep.Repo), looked)
	} else if inHook {
		fmt.Fprintf(w, "keywarden: this commit is stopped: the staged changes hold %s.\n", keys.SweepHolds(rep.Hits))
	} else {
		fmt.Fprintf(w, "keywarden: the staged changes hold %s; do not commit them as they are.\n", keys.SweepHolds(rep.Hits))
	}
	writeHits(w, rep.Hits)
	if len(rep.NotChecked) > 0 {
		fmt.Fprintf(w, "Not checked (over 16 MiB): %s.\n", safeList(rep.NotChecked, ", "))
	}
	for _, s := range skips {
		fmt.Fprintf(w, "Not looked for: %q (%s).\n", s.Name, s.Reason)
	}
}

// runSweepHook runs sweep --staged, --install-hook or --remove-hook (one
// of them, without the flags of a sweep of folders).
func runSweepHook(e *env, pos []string, staged, install, remove, asJSON, folderFlags bool) int {
	n := 0
	for _, b := range []bool{staged, install, remove} {
		if b {
			n++
		}
	}
	switch {
	case n > 1:
		return e.fail(usageErr("--staged, --install-hook and --remove-hook go one at a time."))
	case folderFlags:
		return e.fail(usageErr("--no-git, --all-folders, --import and --delete-backups are for a sweep of folders, not with --staged, --install-hook or --remove-hook."))
	case staged && len(pos) > 0:
		return e.fail(usageErr("--staged checks the repository of the current folder and takes no PATH: cd into the repository first."))
	case staged:
		return sweepStaged(e, asJSON)
	case asJSON:
		return e.fail(usageErr("--json goes with a sweep or with --staged."))
	}
	repo, err := hookRepo(pos)
	if err != nil {
		return e.fail(err)
	}
	if install {
		return installHook(e, repo)
	}
	return removeHook(e, repo)
}

// hookRepo is the repository --install-hook and --remove-hook act on:
// the one named, else the current folder's.
func hookRepo(pos []string) (string, error) {
	switch len(pos) {
	case 0:
		return ".", nil
	case 1:
		return pos[0], nil
	}
	return "", usageErr("--install-hook and --remove-hook take one repository at most.")
}

// installHook makes the repository's pre-commit hook run this program's
// sweep --staged first (sweep.InstallHook), keeping a hook already there.
func installHook(e *env, repo string) int {
	exe, err := os.Executable()
	if err != nil {
		return e.fail(&userError{msg: "Keywarden cannot tell where its own program is, so it cannot write a hook that runs it.", err: err})
	}
	res, err := sweep.InstallHook(context.Background(), sweep.HookOptions{Repo: repo, Program: exe})
	if err != nil {
		return e.fail(hookErr(repo, err))
	}
	switch {
	case !res.Changed:
		fmt.Fprintf(e.out, "The pre-commit hook %s already runs Keywarden's check.\n", safe(res.Path))
	case res.Chained:
		fmt.Fprintf(e.out, "Installed: %s now runs keywarden sweep --staged first, then what it ran before. A commit whose staged changes hold a Kraken key is stopped.\n", safe(res.Path))
	default:
		fmt.Fprintf(e.out, "Installed: the pre-commit hook %s runs keywarden sweep --staged. A commit whose staged changes hold a Kraken key is stopped.\n", safe(res.Path))
	}
	if res.Changed {
		fmt.Fprintf(e.out, "It runs %s (or keywarden on PATH if that moves). To take it out: keywarden sweep --remove-hook %s\n", safe(exe), safe(repo))
	}
	return ExitOK
}

// removeHook takes the check out of the repository's pre-commit hook.
func removeHook(e *env, repo string) int {
	res, err := sweep.RemoveHook(context.Background(), sweep.HookOptions{Repo: repo})
	if err != nil {
		return e.fail(hookErr(repo, err))
	}
	switch {
	case !res.Changed:
		fmt.Fprintf(e.out, "The pre-commit hook %s does not run Keywarden's check: nothing to remove.\n", safe(res.Path))
	case res.Deleted:
		fmt.Fprintf(e.out, "Removed: %s held only Keywarden's check and was deleted.\n", safe(res.Path))
	default:
		fmt.Fprintf(e.out, "Removed Keywarden's check from %s; the rest of the hook is as it was.\n", safe(res.Path))
	}
	return ExitOK
}

// hookErr puts a hook change's failure in plain words.
func hookErr(repo string, err error) error {
	var he *sweep.HookError
	switch {
	case errors.As(err, &he):
		return &userError{msg: he.Msg, err: err}
	case errors.Is(err, sweep.ErrNoRepository):
		return &userError{msg: fmt.Sprintf("%s is not inside a git repository. Name a repository's folder: keywarden sweep --install-hook REPO", safe(repo)), err: err}
	}
	return &userError{msg: fmt.Sprintf("The pre-commit hook of %s could not be changed: %v", safe(repo), err), err: err}
}
