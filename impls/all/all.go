// Package all registers every implementation family. Import it for its side effect:
//
//	import _ "github.com/syncbench/syncbench/impls/all"
package all

import (
	_ "github.com/syncbench/syncbench/impls/adaptive"
	_ "github.com/syncbench/syncbench/impls/breakers"
	_ "github.com/syncbench/syncbench/impls/coalescing"
	_ "github.com/syncbench/syncbench/impls/filelocks"
	_ "github.com/syncbench/syncbench/impls/limiters"
	_ "github.com/syncbench/syncbench/impls/locks"
	_ "github.com/syncbench/syncbench/impls/pools"
	_ "github.com/syncbench/syncbench/impls/queues"
	_ "github.com/syncbench/syncbench/impls/redis"
	_ "github.com/syncbench/syncbench/impls/semaphores"
	_ "github.com/syncbench/syncbench/impls/snapshots"
)
