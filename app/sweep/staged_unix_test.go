//go:build unix

package sweep

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A FIFO in the index's place is refused at once instead of hanging git;
// outside a repository the error says so.
func TestStaged_RefusesOddPlaces(t *testing.T) {
	repo := botRepo(t, newKey(t, "old", ""))
	fifo := filepath.Join(t.TempDir(), "index")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := Staged(ctx, StagedOptions{Dir: repo, IndexFile: fifo}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a FIFO as the index: %v", err)
	}
	if _, err := Staged(ctx, StagedOptions{Dir: t.TempDir()}); err != ErrNoRepository {
		t.Errorf("outside a repository: %v", err)
	}
}
