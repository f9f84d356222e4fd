package filelocks

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// prepareLockFile checks a lock file the caller named and creates it when
// missing, reporting whether it did. Lockers open it again and again; only a
// regular file may be one (flock works on a directory, and a device node would
// gain a count file beside it in /dev).
func prepareLockFile(path string) (created bool, err error) {
	info, err := os.Stat(path)
	if err == nil {
		switch mode := info.Mode(); {
		case mode.IsDir():
			return false, fmt.Errorf("lock file %s is a directory (allowed: a regular file, or a path where one can be created)", path)
		case !mode.IsRegular():
			return false, fmt.Errorf("lock file %s is not a regular file but a %s (allowed: a regular file, or a path where one can be created)", path, fileKind(mode))
		}
		return false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return prepareLockFile(path) // created meanwhile by another process
	}
	if err != nil {
		return false, err
	}
	return true, f.Close()
}

// fileKind names a non-regular file's kind for an error message.
func fileKind(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeCharDevice != 0:
		return "character device"
	case mode&fs.ModeDevice != 0:
		return "block device"
	case mode&fs.ModeNamedPipe != 0:
		return "FIFO"
	case mode&fs.ModeSocket != 0:
		return "socket"
	}
	return "special file"
}
