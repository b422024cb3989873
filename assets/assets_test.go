package assets

import (
	"bytes"
	"image"
	"image/png"
	"testing"
)

func TestIcons(t *testing.T) {
	tests := []struct {
		name      string
		data      []byte
		size      int
		minColors int
	}{
		{"icon.png", Icon.Content(), 512, 256},
		{"tray.png", TrayOK.Content(), 64, 16},
		{"tray-attention.png", TrayAttention.Content(), 64, 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := png.Decode(bytes.NewReader(tt.data))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			b := img.Bounds()
			if b.Dx() != tt.size || b.Dy() != tt.size {
				t.Fatalf("size = %dx%d, want %dx%d", b.Dx(), b.Dy(), tt.size, tt.size)
			}

			colors := map[[4]uint32]bool{}
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					r, g, bl, a := img.At(x, y).RGBA()
					colors[[4]uint32{r, g, bl, a}] = true
				}
			}
			if len(colors) < tt.minColors {
				t.Errorf("only %d distinct colours, want at least %d", len(colors), tt.minColors)
			}

			// The shield tapers to a point, so both bottom corners must be
			// fully transparent, and the middle must be opaque.
			for _, p := range []image.Point{{b.Min.X, b.Max.Y - 1}, {b.Max.X - 1, b.Max.Y - 1}} {
				if _, _, _, a := img.At(p.X, p.Y).RGBA(); a != 0 {
					t.Errorf("corner %v alpha = %d, want transparent", p, a)
				}
			}
			c := image.Pt((b.Min.X+b.Max.X)/2, (b.Min.Y+b.Max.Y)/2)
			if _, _, _, a := img.At(c.X, c.Y).RGBA(); a != 0xffff {
				t.Errorf("centre alpha = %d, want opaque", a)
			}
		})
	}
}

func TestResourceNames(t *testing.T) {
	for want, r := range map[string]interface{ Name() string }{
		"icon.png":           Icon,
		"icon.svg":           IconSVG,
		"tray.png":           TrayOK,
		"tray-attention.png": TrayAttention,
	} {
		if got := r.Name(); got != want {
			t.Errorf("Name() = %q, want %q", got, want)
		}
	}
}
