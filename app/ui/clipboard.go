package ui

import (
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
)

// ClipboardClearDelay is how long a copied secret stays on the clipboard.
const ClipboardClearDelay = 30 * time.Second

// clipGuard puts secrets on the clipboard and takes them off again after
// delay, but only if the clipboard still holds that secret: whatever the
// user copied since is left alone.
type clipGuard struct {
	clip  fyne.Clipboard
	delay time.Duration

	mu     sync.Mutex
	timer  *time.Timer
	secret string       // what was copied last; "" once cleared
	armed  atomic.Int32 // 1 while a clear is pending (tests wait on it)
}

func newClipGuard(c fyne.Clipboard) *clipGuard {
	return &clipGuard{clip: c, delay: ClipboardClearDelay}
}

// copy puts secret on the clipboard and schedules its removal. It runs on
// the UI goroutine.
func (g *clipGuard) copy(secret string) {
	g.clip.SetContent(secret)
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.timer != nil && g.timer.Stop() {
		g.armed.Add(-1)
	}
	g.secret = secret
	g.armed.Add(1)
	g.timer = time.AfterFunc(g.delay, func() {
		fyne.Do(func() {
			g.clearIfUnchanged()
			g.armed.Add(-1)
		})
	})
}

// clearIfUnchanged empties the clipboard if it still holds the secret.
func (g *clipGuard) clearIfUnchanged() {
	g.mu.Lock()
	secret := g.secret
	g.secret = ""
	g.mu.Unlock()
	if secret != "" && g.clip.Content() == secret {
		g.clip.SetContent("")
	}
}

// clearNow takes a secret off the clipboard at once, as the window closes.
func (g *clipGuard) clearNow() {
	g.mu.Lock()
	if g.timer != nil && g.timer.Stop() {
		g.armed.Add(-1)
	}
	g.mu.Unlock()
	g.clearIfUnchanged()
}
