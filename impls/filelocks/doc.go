// Package filelocks measures advisory file locks, the primitive several processes on
// one host use to take turns. It registers three implementations (family
// impls.FamilyFileLocks), each with a shared (OpRead) and an exclusive mode (every
// other op kind):
//
//   - flock: BSD flock(2) through github.com/gofrs/flock. A flock lock belongs to an
//     open file description, so each worker gets its own *flock.Flock (its own
//     open(2)): one shared instance would not exclude goroutines from each other.
//     gofrs/flock opens the file on every acquisition and closes it on release,
//     which is part of what is measured.
//   - ofd: Linux open-file-description locks (fcntl F_OFD_SETLK/F_OFD_SETLKW via
//     golang.org/x/sys/unix), one descriptor per worker. Like flock they belong to
//     the descriptor, but they are byte-range locks that interoperate with POSIX
//     record locks and work over NFS.
//   - fcntl: classic POSIX record locks (F_SETLK/F_SETLKW). These belong to the
//     process, not to a descriptor: two goroutines (even on two descriptors) of one
//     process never exclude each other, a second lock call by the same process just
//     succeeds, and closing any descriptor of the file drops every lock the
//     process holds on it. The target therefore serialises goroutines with an
//     in-process read-write gate in front of the kernel lock, keeps a single
//     descriptor, and takes the shared kernel lock once for all in-process readers.
//
// Waiting honours the op's context and Config.Timeout by polling the non-blocking
// call with exponential backoff (see poll); only a context that can never end
// uses the kernel's blocking wait. flock and fcntl locks do not see each other on
// Linux, and OFD and POSIX locks do: all contenders must use the same impl.
//
// OFD locks are Linux-only, so the Target and the registrations build on Linux
// only; NewFlock, the tally functions and WithLock build everywhere.
//
// # Exclusion check
//
// Every exclusive critical section updates a count file next to the lock file
// (CountPath): it reads the acquisition counter and a holder marker on entry,
// fails the check if the marker is set, sets it, and on exit writes counter+1
// and clears the marker. The read-modify-write is deliberately unprotected by anything but the
// lock under test, so broken exclusion shows up as lost increments or a marker found
// set. Because the file is shared, the check also works across processes: a parent
// calls ResetTally before starting its children and compares ReadTally with the sum
// of the children's "acquisitions" stats.
//
// The count file starts with a header, and a file of that name without one (the
// user's lk/data.count beside lk/data) is refused, never written to; so are a
// directory or a device as the lock file. Locking never changes the lock file's
// content. Files a target created for a run that never ran are removed on Close.
package filelocks
