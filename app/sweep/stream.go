package sweep

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"time"
)

// DefaultLargeFileTime is how long one file over MaxFileSize, or one
// compressed file, is read before the sweep moves on (Options.LargeFileTime).
const DefaultLargeFileTime = 20 * time.Second

// streamChunk is how much of a streamed file is scanned at once (a
// variable so tests can put chunk boundaries where they want them).
var streamChunk = 4 << 20

// streamCarry is the most of a chunk's end that is scanned again with the
// next chunk, so a value, a wrapped value or a pair across the boundary
// is found whole.
const streamCarry = 64 << 10

// isGzip reports whether a file starts as gzip does: magic and deflate.
func isGzip(head []byte) bool {
	return len(head) >= 3 && head[0] == 0x1f && head[1] == 0x8b && head[2] == 8
}

// large reads a file over MaxFileSize as a stream (streamed), unpacking
// it first when it is gzip.
func (w *worker) large(j job) {
	s := w.s
	f, kind, err := openRegular(j.path)
	switch {
	case err != nil:
		s.unreadable(j.path)
		return
	case kind == kindSpecial:
		s.count(func(r *Report) { r.Special++ })
		return
	}
	defer f.Close()
	s.files.Add(1)
	s.count(func(r *Report) { r.Large++ })
	br := bufio.NewReaderSize(f, 64<<10)
	packed := ""
	if head, _ := br.Peek(3); isGzip(head) {
		packed = PackedGzip
	}
	w.streamed(j, br, packed)
}

// streamEnd is how a streamed read ended.
type streamEnd int

const (
	streamDone   streamEnd = iota
	streamBinary           // a NUL in the first 8 KiB
	streamCut              // Options.LargeFileTime ran out, or the sweep was stopped
	streamFailed           // a read error, or damaged compressed data
)

// streamed scans what r holds (unpacked first for packed, PackedGzip),
// chunk by chunk, for at most Options.LargeFileTime, and records its
// hits and how far it got. A file whose packed data is damaged is counted
// unreadable, with what was found before the damage.
func (w *worker) streamed(j job, r io.Reader, packed string) {
	s := w.s
	if packed == PackedGzip {
		zr, err := w.gunzip(r)
		if err != nil {
			s.unreadable(j.path)
			return
		}
		r = zr
	}
	hits, n, end := w.streamScan(j, r, packed)
	s.addHits(hits)
	if end == streamFailed {
		s.unreadable(j.path)
		return
	}
	s.count(func(rep *Report) {
		rep.Bytes += n
		if packed != "" {
			rep.Packed++
		}
		if end == streamBinary {
			rep.Binary++
			return
		}
		rep.Files++
		if end == streamCut {
			rep.TooBig++
			if len(rep.TooBigPaths) < maxUnreadablePaths {
				rep.TooBigPaths = append(rep.TooBigPaths, fmt.Sprintf("%s (%s read)", j.path, sizeWords(n)))
			}
		}
	})
}

// gunzip returns the worker's gzip reader, reset to read r (one reader
// per worker: each holds a 32 KiB window and tables).
func (w *worker) gunzip(r io.Reader) (*gzip.Reader, error) {
	if w.zr == nil {
		zr, err := gzip.NewReader(r)
		if err == nil {
			w.zr = zr
		}
		return zr, err
	}
	return w.zr, w.zr.Reset(r)
}

// streamScan reads r in chunks that end at a line break, scans each with
// the end of the one before (the last PairLines lines, at most
// streamCarry bytes) and numbers lines across chunks. It stops when the
// deadline passes, checked after each chunk, so the first chunk is always
// read.
func (w *worker) streamScan(j job, r io.Reader, packed string) (hits []Hit, n int64, end streamEnd) {
	s := w.s
	need := streamChunk + 2*streamCarry
	if cap(w.sbuf) < need {
		w.sbuf = make([]byte, need)
	}
	buf := w.sbuf[:need]
	deadline := time.Now().Add(s.opt.LargeFileTime)
	seen := map[string]bool{}
	// The first 8 KiB alone first: a binary file (a .tar.gz, a .pdf.gz) is
	// left before the rest of it is read, or unpacked.
	carry, eof, err := fill(r, buf[:binaryProbe])
	n = int64(carry)
	switch {
	case err != nil:
		return nil, n, streamFailed
	case bytes.IndexByte(buf[:carry], 0) >= 0:
		return nil, n, streamBinary
	}
	lineBase := 0
	for {
		k := 0
		if !eof {
			k, eof, err = fill(r, buf[carry:carry+streamChunk])
			n += int64(k)
			if err != nil {
				return hits, n, streamFailed
			}
		}
		data := buf[:carry+k]
		last := eof || s.ctx.Err() != nil || !time.Now().Before(deadline)
		stop, keep := len(data), len(data)
		if !last {
			stop = chunkEnd(data)
			keep = carryFrom(data, stop)
		}
		// A key not in the vault whose lines are read again with the next
		// chunk waits for it: its other half may be there.
		later := lineBase + bytes.Count(data[:keep], []byte{'\n'}) + 1
		for _, h := range w.docHits(j, data[:stop], packed) {
			h.Line += lineBase
			if h.PrivateLine != 0 {
				h.PrivateLine += lineBase
			}
			if id := hitID(h); !seen[id] && (last || h.Kind == KindStored || max(h.Line, h.PrivateLine) < later) {
				seen[id] = true
				hits = append(hits, h)
			}
		}
		switch {
		case eof:
			return hits, n, streamDone
		case last:
			return hits, n, streamCut
		}
		lineBase = later - 1
		carry = copy(buf, data[keep:])
	}
}

// fill reads into b until it is full or r ends (eof); unlike io.ReadFull
// it tells the end of r from data cut short (gzip's io.ErrUnexpectedEOF).
func fill(r io.Reader, b []byte) (n int, eof bool, err error) {
	for n < len(b) {
		k, err := r.Read(b[n:])
		n += k
		if err == io.EOF {
			return n, true, nil
		}
		if err != nil {
			return n, false, err
		}
	}
	return n, false, nil
}

// chunkEnd is where a chunk's scan stops: after its last line break, or,
// in a line longer than streamCarry, before the base64 run the chunk ends
// in (so a run cut by the chunk is not taken for a whole one).
func chunkEnd(data []byte) int {
	if nl := bytes.LastIndexByte(data, '\n'); nl >= 0 && len(data)-(nl+1) <= streamCarry {
		return nl + 1
	}
	stop := len(data)
	for stop > len(data)-1024 && stop > 0 && class[data[stop-1]] != clsOther {
		stop--
	}
	return stop
}

// carryFrom is where the part of data scanned again with the next chunk
// starts: the start of the last PairLines lines before stop, at most
// streamCarry bytes before it.
func carryFrom(data []byte, stop int) int {
	low := max(0, stop-streamCarry)
	keep := stop - 1
	for range PairLines {
		i := bytes.LastIndexByte(data[low:max(low, keep)], '\n')
		if i < 0 {
			return low
		}
		keep = low + i
	}
	return keep + 1
}

// hitID tells a hit found twice, in two chunks' common part, from
// another; it holds no secret.
func hitID(h Hit) string {
	id := ""
	if h.Key != nil {
		id = h.Key.ID
	}
	return fmt.Sprintf("%s\x00%s\x00%s\x00%d\x00%d\x00%s", h.Kind, id, h.Part, h.Line, h.PrivateLine, h.Hint)
}

// sizeWords says how many bytes, in MiB or GiB.
func sizeWords(n int64) string {
	if n >= 1<<30 {
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
