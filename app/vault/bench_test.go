package vault

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"
)

// bench10k returns a store holding 10 000 realistic records.
func bench10k(b *testing.B) *Store {
	b.Helper()
	s := openTemp(b)
	d := &Data{Version: SchemaVersion}
	for i := range 10000 {
		r := sampleRecord(fmt.Sprintf("key %05d", i))
		r.ID = NewID()
		r.AddEvent(t0.Add(48*time.Hour), EventReviewed, "still needed")
		d.Records = append(d.Records, r)
	}
	buf, err := encode(d)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(s.Path(), buf, 0o600); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(buf)))
	return s
}

// reportSize reports the size of the metadata file; call it after the loop,
// because b.Loop resets reported metrics.
func reportSize(b *testing.B, s *Store) {
	if st, err := os.Stat(s.Path()); err == nil {
		b.ReportMetric(float64(st.Size())/1e6, "file-MB")
	}
}

func BenchmarkStore_Load10k(b *testing.B) {
	s := bench10k(b)
	b.ReportAllocs()
	for b.Loop() {
		d, err := s.Load()
		if err != nil || len(d.Records) != 10000 {
			b.Fatal(err)
		}
	}
	reportSize(b, s)
}

// BenchmarkStore_Update10k changes one record of 10 000 per Update: lock,
// read, decode, validate, encode, write, fsync, backup, rename, fsync.
func BenchmarkStore_Update10k(b *testing.B) {
	s := bench10k(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		err := s.Update(func(d *Data) error {
			d.Records[i%len(d.Records)].Notes = strconv.Itoa(i)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	reportSize(b, s)
}
