package tray

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/png"
	"testing"

	"github.com/keywarden/keywarden/assets"
)

func TestPngToICO(t *testing.T) {
	for _, res := range []interface{ Content() []byte }{assets.TrayOK, assets.TrayAttention} {
		src := res.Content()
		got, err := pngToICO(src)
		if err != nil {
			t.Fatal(err)
		}
		le := binary.LittleEndian
		if le.Uint16(got[0:]) != 0 || le.Uint16(got[2:]) != 1 || le.Uint16(got[4:]) != 1 {
			t.Fatalf("ICONDIR = % x, want 00 00 01 00 01 00", got[:6])
		}
		cfg, _ := png.DecodeConfig(bytes.NewReader(src))
		if int(got[6]) != cfg.Width%256 || int(got[7]) != cfg.Height%256 {
			t.Errorf("entry says %d×%d, the PNG is %d×%d", got[6], got[7], cfg.Width, cfg.Height)
		}
		size, offset := le.Uint32(got[14:]), le.Uint32(got[18:])
		if int(size) != len(src) || offset != 22 || !bytes.Equal(got[offset:], src) {
			t.Errorf("the image is not the PNG at offset 22 (size %d, offset %d)", size, offset)
		}
	}
}

func TestPngToICO_refuses(t *testing.T) {
	var big bytes.Buffer
	if err := png.Encode(&big, image.NewRGBA(image.Rect(0, 0, 257, 16))); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"not a PNG": []byte("GIF89a"), "too wide": big.Bytes()} {
		if _, err := pngToICO(data); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
