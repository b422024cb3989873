//go:build !unix && !windows

package keys

// processRuns cannot ask this system about another process, so it takes
// it to run; Repair then waits StaleAfter before it mends its change.
func processRuns(int) bool { return true }
