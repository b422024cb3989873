package tray

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"fyne.io/systray"

	"github.com/keywarden/keywarden/assets"
)

// trayFace shows the Model in the system tray through fyne.io/systray: the
// icon, its tooltip and the menu. It changes only what changed, and builds
// the menu anew when its items did. Each menu item has a goroutine that
// waits for its clicks and ends when the item is removed.
type trayFace struct {
	t *Tray

	mu    sync.Mutex
	last  Model
	shown bool
}

func (f *trayFace) show(m Model) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.shown || m.Attention != f.last.Attention {
		icon := assets.TrayOK
		if m.Attention {
			icon = assets.TrayAttention
		}
		systray.SetIcon(trayIcon(icon.Content()))
	}
	if !f.shown || m.Tooltip != f.last.Tooltip {
		systray.SetTooltip(m.Tooltip)
	}
	same := f.shown && f.last.More == m.More && f.last.Checking == m.Checking &&
		f.last.CanCheck == m.CanCheck && f.last.Account == m.Account && slices.Equal(f.last.Keys, m.Keys)
	f.last, f.shown = m, true
	if same {
		return
	}

	systray.ResetMenu()
	if m.Account != "" {
		onClick(systray.AddMenuItem(menuLabel(m.Account), "Answer in Keywarden: It was me, or Not me"), f.t.OpenActivity)
	}
	for _, k := range m.Keys {
		id := k.RecordID
		onClick(systray.AddMenuItem(menuLabel(k.Label), k.Hint), func() { f.t.OpenKey(id) })
	}
	if m.More > 0 {
		onClick(systray.AddMenuItem(fmt.Sprintf("%d more in Keywarden…", m.More), ""), f.t.OpenWindow)
	}
	if len(m.Keys) > 0 || m.Account != "" {
		systray.AddSeparator()
	}
	checkLabel := "Check all keys now"
	if m.Checking {
		checkLabel = "Checking keys…"
	}
	checkAll := systray.AddMenuItem(checkLabel, "Read every key back from Kraken and review it")
	if !m.CanCheck {
		checkAll.Disable()
	}
	onClick(checkAll, f.t.CheckAll)
	onClick(systray.AddMenuItem("Open Keywarden", ""), f.t.OpenWindow)
	systray.AddSeparator()
	onClick(systray.AddMenuItem("Quit", "Remove Keywarden from the tray until it starts again"), f.t.quit)
}

// onClick runs fn for each click on item, until the item is removed.
func onClick(item *systray.MenuItem, fn func()) {
	go func() {
		for range item.ClickedCh {
			fn()
		}
	}()
}

// menuLabel escapes a label for dbusmenu, which reads "_" as the mark of an
// access key.
func menuLabel(s string) string { return strings.ReplaceAll(s, "_", "__") }
