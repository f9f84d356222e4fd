package multiproc

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/syncbench/syncbench/internal/cleanup"
	"github.com/syncbench/syncbench/internal/exitcode"
)

// childKillGrace is how long a child gets, after the forwarded SIGINT, to stop its
// run and write its partial result before it is killed. Stopping takes one op and
// one file write, so seconds are plenty; a child still running after that is stuck.
// A variable so that tests of a stuck child need not wait that long.
var childKillGrace = 5 * time.Second

// childProc is one loadgen process of a multi-process run.
type childProc struct {
	index int    // 0-based; shown as p<index+1>
	dir   string // its -out directory
	cmd   *exec.Cmd
	// stdout is discarded after the run (the results are read from dir); stderr is
	// shown when the child fails.
	stdout, stderr bytes.Buffer
	// code is the exit code once the child has ended: -1 when a signal ended it
	// (including the parent's SIGKILL), see os.ProcessState.ExitCode.
	code int
}

// lastLine returns the child's last non-empty stderr line: where loadgen puts the
// one line that explains a failure.
func (c *childProc) lastLine() string {
	lines := strings.Split(strings.TrimSpace(c.stderr.String()), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// exitedOnItsOwn reports whether the child ended through loadgen's own exit paths
// (success, run failed, interrupted), so its result files are complete for what it
// ran and its acquisitions are all accounted for.
func (c *childProc) exitedOnItsOwn() bool {
	return c.code == exitcode.OK || c.code == exitcode.RunFailed || c.code == exitcode.Interrupted
}

// runChildren starts one process of exe per argument list, all at once, and waits
// until every one of them has exited; it never returns with a child running.
//
// When ctx is cancelled (the parent was interrupted) every child still running
// gets SIGINT, so it stops, writes its partial result and exits 130; one that has
// not exited childKillGrace later is killed. A child that exits with bad input
// (exit 2) stops the others the same way: they were given the same flags and
// would only waste their run. Children run in their own process group, so a ^C
// at a terminal reaches the parent alone and each child sees exactly one SIGINT
// (a second one would make it exit at once, without its partial result), and on
// Linux they are killed if the parent dies (see childSysProcAttr).
//
// An error means a child could not be started; the ones already started have then
// been stopped and waited for.
//
// env holds extra environment entries ("KEY=value") every child gets beside
// the parent's environment: a secret goes there, never into argv, which any
// user of the host can read (ps, /proc/PID/cmdline).
func runChildren(ctx context.Context, exe string, argv [][]string, dirs []string, env []string) ([]*childProc, error) {
	stopCtx, stop := context.WithCancel(ctx)
	defer stop()
	children := make([]*childProc, len(argv))
	exited := make(chan *childProc, len(argv))
	started := 0
	var startErr error
	for i, args := range argv {
		c := &childProc{index: i, dir: dirs[i]}
		cmd := exec.CommandContext(stopCtx, exe, args...)
		cmd.Stdout, cmd.Stderr = &c.stdout, &c.stderr
		if len(env) > 0 {
			cmd.Env = append(os.Environ(), env...)
		}
		cmd.SysProcAttr = childSysProcAttr()
		cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
		cmd.WaitDelay = childKillGrace
		c.cmd = cmd
		if err := cmd.Start(); err != nil {
			startErr = err
			break
		}
		children[i] = c
		started++
		// The command line's hard exit (a second interrupt) kills the
		// child before it removes the run's directory the child writes in.
		forget := cleanup.TrackProcess(cmd.Process)
		go func() {
			cmd.Wait() // the exit code is what matters, read below
			forget()
			c.code = -1
			if cmd.ProcessState != nil {
				c.code = cmd.ProcessState.ExitCode()
			}
			exited <- c
		}()
	}
	if startErr != nil {
		stop()
	}
	for range started {
		if c := <-exited; c.code == exitcode.BadInput {
			stop()
		}
	}
	if startErr != nil {
		return nil, startErr
	}
	return children, nil
}

// RunChild runs exe with args as one child process, the way Run runs its
// children: in its own process group, killed if the parent dies (Linux), sent
// one SIGINT when ctx is cancelled (so it writes its partial results) and
// killed if it has not exited childKillGrace later. It returns the child's
// exit code (-1 when a signal ended it) and what it wrote on stderr; stdout is
// discarded. env holds extra environment entries, as Plan.Env. An error means
// the child could not be started.
func RunChild(ctx context.Context, exe string, args, env []string) (code int, stderr string, err error) {
	children, err := runChildren(ctx, exe, [][]string{args}, []string{""}, env)
	if err != nil {
		return -1, "", err
	}
	c := children[0]
	return c.code, c.stderr.String(), nil
}
