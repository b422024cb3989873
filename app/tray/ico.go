package tray

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image/png"
)

// pngToICO wraps a PNG image in an ICO container of one image, which is
// what Windows (Vista and later) loads as a tray icon; Fyne's own tray
// code does the same. The PNG is kept as it is; images wider or taller
// than 256 pixels are refused, as ICO cannot describe them.
func pngToICO(data []byte) ([]byte, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("tray icon: %w", err)
	}
	if cfg.Width < 1 || cfg.Width > 256 || cfg.Height < 1 || cfg.Height > 256 {
		return nil, fmt.Errorf("tray icon: %d×%d pixels does not fit in an ICO (at most 256×256)", cfg.Width, cfg.Height)
	}
	const headerSize = 6 + 16 // ICONDIR and one ICONDIRENTRY
	var b bytes.Buffer
	b.Grow(headerSize + len(data))
	le := binary.LittleEndian
	b.Write(le.AppendUint16(nil, 0)) // reserved
	b.Write(le.AppendUint16(nil, 1)) // type: icon
	b.Write(le.AppendUint16(nil, 1)) // one image
	b.WriteByte(byte(cfg.Width))     // 256 is written as 0
	b.WriteByte(byte(cfg.Height))
	b.WriteByte(0)                    // no palette
	b.WriteByte(0)                    // reserved
	b.Write(le.AppendUint16(nil, 1))  // colour planes
	b.Write(le.AppendUint16(nil, 32)) // bits per pixel
	b.Write(le.AppendUint32(nil, uint32(len(data))))
	b.Write(le.AppendUint32(nil, headerSize))
	b.Write(data)
	return b.Bytes(), nil
}
