package redis

import (
	"context"

	goredis "github.com/redis/go-redis/v9"
)

// quietLogger drops go-redis's own log lines. While Redis is down the client logs
// every refused dial to stderr; the harness already counts each failed op as an
// Error outcome per interval, so those lines would only bury the summary (and
// break the promise that stderr carries loadgen's own messages).
type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}

func init() {
	goredis.SetLogger(quietLogger{})
}
