package filelocks

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// The count file is 24 bytes, little-endian uint64s at these offsets. A missing
// or short file reads as zeros, so children of a multi-process run may create it
// concurrently.
const (
	offCount    = 0  // exclusive acquisitions that completed their critical section
	offHolder   = 8  // id of the exclusive holder inside its section; 0 when none
	offOverlaps = 16 // overlapping holders detected, by any process
	tallySize   = 24
)

// CountPath returns the path of the count file that the exclusion check keeps next
// to lockFile: lockFile + ".count".
func CountPath(lockFile string) string { return lockFile + ".count" }

// Tally is the content of a count file.
type Tally struct {
	// Acquisitions is the number of exclusive critical sections completed by all
	// processes. With working exclusion it equals the sum of their acknowledged
	// exclusive acquisitions (the "acquisitions" stat); fewer means lost updates.
	Acquisitions uint64
	// Overlaps counts critical sections that found another holder inside. Any
	// non-zero value is a violation.
	Overlaps uint64
}

// ReadTally reads the count file of lockFile. Read it after every process using
// the lock has finished; during a run it is a racy snapshot.
func ReadTally(lockFile string) (Tally, error) {
	f, err := os.Open(CountPath(lockFile))
	if err != nil {
		return Tally{}, err
	}
	defer f.Close()
	var b [tallySize]byte
	if err := readFull(f, b[:], 0); err != nil {
		return Tally{}, fmt.Errorf("reading %s: %w", f.Name(), err)
	}
	return Tally{
		Acquisitions: binary.LittleEndian.Uint64(b[offCount:]),
		Overlaps:     binary.LittleEndian.Uint64(b[offOverlaps:]),
	}, nil
}

// ResetTally creates or zeroes the count file of lockFile. A parent calls it before
// starting the processes whose exclusion it will check; calling it while any of
// them runs corrupts the check.
func ResetTally(lockFile string) error {
	return os.WriteFile(CountPath(lockFile), make([]byte, tallySize), 0o644)
}

// tallyFile is the count file as updated from inside critical sections. Its
// methods use positioned reads and writes and keep no state, so they are safe for
// concurrent use as far as Go is concerned; whether the updates are correct is
// exactly what the lock under test decides.
type tallyFile struct{ f *os.File }

func openTally(lockFile string) (*tallyFile, error) {
	f, err := os.OpenFile(CountPath(lockFile), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	return &tallyFile{f: f}, nil
}

func (t *tallyFile) read(off int64) (uint64, error) {
	var b [8]byte
	if err := readFull(t.f, b[:], off); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b[:]), nil
}

func (t *tallyFile) write(off int64, vals ...uint64) error {
	b := make([]byte, 0, 8*len(vals))
	for _, v := range vals {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	_, err := t.f.WriteAt(b, off)
	return err
}

// enter begins an exclusive section for holder id: it reads the counter (kept by
// the caller until exit, so that the read-modify-write spans the whole section)
// and reports whether another holder's marker was found.
func (t *tallyFile) enter(id uint64) (count uint64, overlap bool, err error) {
	var b [16]byte
	if err := readFull(t.f, b[:], offCount); err != nil {
		return 0, false, err
	}
	count = binary.LittleEndian.Uint64(b[offCount:])
	overlap = binary.LittleEndian.Uint64(b[offHolder:]) != 0
	return count, overlap, t.write(offHolder, id)
}

// exit ends the section entered with count: it reports whether the marker is no
// longer id (someone entered meanwhile), then writes count+1 and clears the marker.
func (t *tallyFile) exit(id, count uint64) (overlap bool, err error) {
	holder, err := t.read(offHolder)
	if err != nil {
		return false, err
	}
	return holder != id, t.write(offCount, count+1, 0)
}

// holderSet reports whether an exclusive holder is inside its section, which a
// shared holder must never see.
func (t *tallyFile) holderSet() (bool, error) {
	h, err := t.read(offHolder)
	return h != 0, err
}

// addOverlap records a detected overlap for other processes to see. The increment
// is itself unprotected, but any non-zero value already fails the check.
func (t *tallyFile) addOverlap() error {
	n, err := t.read(offOverlaps)
	if err != nil {
		return err
	}
	return t.write(offOverlaps, n+1)
}

func (t *tallyFile) close() error { return t.f.Close() }

// readFull reads len(b) bytes at off, treating bytes past the end of the file as
// zeros.
func readFull(f *os.File, b []byte, off int64) error {
	n, err := f.ReadAt(b, off)
	if errors.Is(err, io.EOF) {
		clear(b[n:])
		return nil
	}
	return err
}
