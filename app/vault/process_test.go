package vault

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// seed adds n sample records in one Update, so that every later write has a
// realistic amount to write.
func seed(t testing.TB, s *Store, n int) {
	t.Helper()
	mustUpdate(t, s, func(d *Data) error {
		for i := range n {
			if _, err := d.Add(sampleRecord(fmt.Sprintf("seed %05d", i))); err != nil {
				return err
			}
		}
		return nil
	})
}

// TestStore_TwoProcesses runs several processes at once, each updating its
// own record many times through its own Store. Every process checks on
// every Update that its last change is still there, and at the end every
// process's last change must be in the file.
func TestStore_TwoProcesses(t *testing.T) {
	const children, rounds = 4, 60
	s := openTemp(t)
	seed(t, s, 50)
	cmds := make([]*exec.Cmd, children)
	outs := make([]*strings.Builder, children)
	for i := range children {
		cmds[i] = childCommand(t, "update-loop",
			"KW_DIR="+s.Dir(), fmt.Sprintf("KW_NAME=child %d", i), fmt.Sprintf("KW_COUNT=%d", rounds))
		outs[i] = new(strings.Builder)
		cmds[i].Stderr = outs[i]
		cmds[i].Stdout = io.Discard
	}
	start := time.Now()
	for _, c := range cmds {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Errorf("child %d: %v: %s", i, err, outs[i])
		}
	}
	t.Logf("%d processes × %d updates in %v", children, rounds, time.Since(start).Round(time.Millisecond))
	d, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Records) != 50+children {
		t.Errorf("%d records, want %d", len(d.Records), 50+children)
	}
	for i := range children {
		r, err := d.ByName(fmt.Sprintf("child %d", i))
		if err != nil {
			t.Errorf("child %d's record is missing: %v", i, err)
			continue
		}
		if r.Notes != strconv.Itoa(rounds) {
			t.Errorf("child %d: counter %s, want %d", i, r.Notes, rounds)
		}
	}
}

// TestStore_SurvivesKill SIGKILLs a process that writes the store in a loop,
// at random moments, many times. After every kill the store must load, its
// backup must load, and the record must hold at least the last change the
// process acknowledged (it prints a number after each Update returns).
func TestStore_SurvivesKill(t *testing.T) {
	kills := 30
	if testing.Short() {
		kills = 8
	}
	s := openTemp(t)
	seed(t, s, 300)
	lastAck, midWrite, tempLeft := 0, 0, 0
	var period time.Duration
	for k := range kills {
		cmd := childCommand(t, "update-loop", "KW_DIR="+s.Dir(), "KW_NAME=crash", "KW_COUNT=0")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		acks := make(chan int, 1024)
		go func() {
			defer close(acks)
			br := bufio.NewReader(stdout)
			for {
				line, err := br.ReadString('\n')
				if err != nil {
					return // a line cut short by the kill is not an acknowledgement
				}
				n, err := strconv.Atoi(strings.TrimSpace(line))
				if err == nil {
					acks <- n
				}
			}
		}()
		select {
		case n, ok := <-acks:
			if !ok {
				cmd.Wait()
				t.Fatalf("kill %d: the writer ended before its first update: %s", k, stderr.String())
			}
			lastAck = max(lastAck, n)
		case <-time.After(60 * time.Second):
			stop(cmd)
			t.Fatalf("kill %d: no update within a minute: %s", k, stderr.String())
		}
		if k == 0 {
			// Measure how long one update takes here, so that the kills
			// land anywhere in the write cycle, with or without -race.
			t1 := time.Now()
			for range 4 {
				if n, ok := <-acks; ok {
					lastAck = max(lastAck, n)
				}
			}
			period = max(time.Since(t1)/4, time.Millisecond)
		}
		if k%2 == 0 {
			time.Sleep(rand.N(3 * period)) // anywhere in the cycle
		} else {
			// Wait for a write in progress, then kill during one of its
			// steps: writing or flushing the new version, linking the
			// backup, renaming, flushing the folder.
			for deadline := time.Now().Add(10 * period); time.Now().Before(deadline) && !hasTemp(s.Dir()); {
			}
			time.Sleep(rand.N(period / 4))
		}
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		for n := range acks {
			lastAck = max(lastAck, n)
		}
		if strings.TrimSpace(stderr.String()) != "" {
			t.Fatalf("kill %d: the writer reported: %s", k, stderr.String())
		}

		if hasTemp(s.Dir()) {
			tempLeft++ // killed between creating the new version and renaming it
		}
		d, err := s.Load()
		if err != nil {
			t.Fatalf("kill %d: the store does not load: %v", k, err)
		}
		r, err := d.ByName("crash")
		if err != nil {
			t.Fatalf("kill %d: %v", k, err)
		}
		got, _ := strconv.Atoi(r.Notes)
		switch {
		case got < lastAck:
			t.Fatalf("kill %d: the file holds change %d, but change %d was acknowledged", k, got, lastAck)
		case got > lastAck+1:
			t.Fatalf("kill %d: the file holds change %d, only %d was acknowledged", k, got, lastAck)
		case got == lastAck+1:
			midWrite++ // written, killed before it said so
		}
		lastAck = got
		if len(d.Records) != 301 {
			t.Fatalf("kill %d: %d records, want 301", k, len(d.Records))
		}
		if _, err := decode(readFile(t, s.BackupPath())); err != nil {
			t.Fatalf("kill %d: the backup does not load: %v", k, err)
		}
	}
	t.Logf("one update takes about %v; %d kills, %d changes in all; %d kills left a half-done write behind, %d came between a write and its acknowledgement",
		period.Round(time.Millisecond/10), kills, lastAck, tempLeft, midWrite)
}

// hasTemp reports whether a new version is being written in dir.
func hasTemp(dir string) bool {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), tmpPrefix) {
			return true
		}
	}
	return false
}
