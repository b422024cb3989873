// Package assets holds Keywarden's embedded artwork: the app icon and the two
// system-tray icons, as ready-to-use Fyne resources.
//
// The PNGs are rendered from the hand-written SVGs next to them with
// rsvg-convert (icon.png at 512x512, the tray icons at 64x64); re-render them
// after editing an SVG:
//
//	rsvg-convert -w 512 -h 512 icon.svg -o icon.png
//	rsvg-convert -w 64 -h 64 tray.svg -o tray.png
//	rsvg-convert -w 64 -h 64 tray-attention.svg -o tray-attention.png
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

var (
	//go:embed icon.png
	iconPNG []byte
	//go:embed icon.svg
	iconSVG []byte
	//go:embed tray.png
	trayPNG []byte
	//go:embed tray-attention.png
	trayAttentionPNG []byte
)

// Icon is the application icon (512x512 PNG): a gold key inside an
// indigo-to-teal shield. Use it for the app and window icons.
var Icon fyne.Resource = fyne.NewStaticResource("icon.png", iconPNG)

// IconSVG is the vector source of Icon, for places that want to scale the
// icon freely. It uses only paths and linear gradients so Fyne can draw it,
// though Icon is the reference rendering.
var IconSVG fyne.Resource = fyne.NewStaticResource("icon.svg", iconSVG)

// TrayOK is the system-tray icon (64x64 PNG) shown when all is well: a
// neutral slate shield with a white key and a pale rim, legible on both
// light and dark panels.
var TrayOK fyne.Resource = fyne.NewStaticResource("tray.png", trayPNG)

// TrayAttention is the system-tray icon (64x64 PNG) shown when something
// needs the user's attention: TrayOK with an orange-red exclamation badge in
// the top-right corner.
var TrayAttention fyne.Resource = fyne.NewStaticResource("tray-attention.png", trayAttentionPNG)
