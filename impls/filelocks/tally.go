package filelocks

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// The count file is 32 bytes: a header naming it as loadgen's, then
// little-endian uint64s at these offsets. Past the header, a short file reads as
// zeros. The header is what lets a run refuse to write into a file of the same
// name that is not a count file (the user's lk/data.count beside lk/data).
const (
	tallyMagic  = "SBCOUNT1"
	offCount    = 8  // exclusive acquisitions that completed their critical section
	offHolder   = 16 // id of the exclusive holder inside its section; 0 when none
	offOverlaps = 24 // overlapping holders detected, by any process
	tallySize   = 32
)

// CountPath returns the path of the count file that the exclusion check keeps next
// to lockFile: lockFile + ".count".
func CountPath(lockFile string) string { return lockFile + ".count" }

// NotCountFileError reports a file at CountPath that is not a count file: the
// exclusion check would write into it, so nothing opens it for writing.
type NotCountFileError struct {
	Path string
	Why  string // "is a directory", "does not start with the count file header", ...
}

func (e *NotCountFileError) Error() string {
	return fmt.Sprintf("%s %s, so it is not a loadgen count file, and the exclusion check of its lock file would overwrite it (allowed: a -lockfile whose .count file is absent or was written by loadgen)", e.Path, e.Why)
}

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
// the lock has finished; during a run it is a racy snapshot. A file that is not
// a count file is a *NotCountFileError.
func ReadTally(lockFile string) (Tally, error) {
	f, err := openCountFile(CountPath(lockFile), os.O_RDONLY)
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

// ResetTally makes lockFile ready for the processes whose exclusion a parent
// will check: it creates lockFile when missing (refusing a directory or a
// device, as New does), and creates its count file or zeroes the one there.
// Created here, before the processes start, neither file is one a process
// created and might remove again. Calling it while any of them runs corrupts
// the check. A file at CountPath that is not a count file is left alone and
// reported as a *NotCountFileError.
func ResetTally(lockFile string) error {
	created, err := prepareLockFile(lockFile)
	if err != nil {
		return err
	}
	t, _, err := openTally(lockFile)
	if err != nil {
		if created {
			os.Remove(lockFile) // refused: leave nothing
		}
		return err
	}
	werr := t.write(offCount, 0, 0, 0)
	return errors.Join(werr, t.close())
}

// createCountFile creates a count file at path holding its header and zeros,
// or reports fs.ErrExist when there is a file there already. The file appears
// with its content (a temporary file hard-linked into place), so a process
// opening it concurrently never finds it empty, and O_EXCL semantics keep any
// existing file, whatever it is, untouched. Where hard links are not
// supported it falls back to an exclusive create followed by one write.
func createCountFile(path string) error {
	content := make([]byte, tallySize)
	copy(content, tallyMagic)
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.Write(content)
	if err := errors.Join(werr, tmp.Chmod(0o644), tmp.Close()); err != nil {
		return err
	}
	err = os.Link(tmp.Name(), path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, werr = f.Write(content)
	return errors.Join(werr, f.Close())
}

// openCountFile opens the existing count file at path with flag, after
// checking that it is one: a regular file that starts with the header.
func openCountFile(path string, flag int) (*os.File, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &NotCountFileError{Path: path, Why: "is not a regular file"}
	}
	// Read-only first: a file that is not ours is never opened for writing.
	r, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, len(tallyMagic))
	n, err := r.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		r.Close()
		return nil, err
	}
	if string(head[:n]) != tallyMagic {
		r.Close()
		return nil, &NotCountFileError{Path: path, Why: "does not start with the count file header"}
	}
	if flag == os.O_RDONLY {
		return r, nil
	}
	r.Close()
	return os.OpenFile(path, flag, 0)
}

// tallyFile is the count file as updated from inside critical sections. Its
// methods use positioned reads and writes and keep no state, so they are safe for
// concurrent use as far as Go is concerned; whether the updates are correct is
// exactly what the lock under test decides.
type tallyFile struct{ f *os.File }

// openTally opens lockFile's count file for the exclusion check, creating it
// if missing (created reports that). One that is there must be a count file.
func openTally(lockFile string) (t *tallyFile, created bool, err error) {
	path := CountPath(lockFile)
	err = createCountFile(path)
	if err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, false, err
	}
	created = err == nil
	f, err := openCountFile(path, os.O_RDWR)
	if err != nil {
		return nil, false, err
	}
	return &tallyFile{f: f}, created, nil
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
	count = binary.LittleEndian.Uint64(b[:])
	overlap = binary.LittleEndian.Uint64(b[offHolder-offCount:]) != 0
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
