//go:build linux

package filelocks

import "github.com/syncbench/syncbench/impls"

func init() {
	for _, k := range []struct{ name, summary string }{
		{KindFlock, "flock(2) via gofrs/flock, one handle per worker; shared for reads"},
		{KindOFD, "Linux open-file-description fcntl locks, one descriptor per worker"},
		{KindFcntl, "classic POSIX fcntl locks (per process) behind an in-process read-write gate"},
	} {
		impls.Register(impls.Impl{
			Name:    k.name,
			Family:  impls.FamilyFileLocks,
			Summary: k.summary,
			New: func(cfg impls.Config) (impls.Target, error) {
				t, err := New(k.name, cfg)
				if err != nil {
					return nil, err // not a typed nil inside the interface
				}
				return t, nil
			},
		})
	}
}
