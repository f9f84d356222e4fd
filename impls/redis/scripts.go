package redis

import goredis "github.com/redis/go-redis/v9"

// The limiter scripts. Each reads the server's clock with TIME (allowed before
// writes since Redis 5 replicates script effects, not scripts), so every client
// shares one time base whatever its own clock says. Times are microseconds since
// the epoch, which a Lua double holds exactly; numbers are written back with
// string.format because Lua 5.1's tostring keeps only 14 significant digits.
// Each returns 1 to admit and 0 to refuse, and writes nothing when it refuses
// unless the algorithm counts refusals.

// gcraScript: KEYS[1] holds the theoretical arrival time (TAT). ARGV: emission
// interval T (µs per event), tolerance tau = Burst·T (µs), n events. Admitting n
// moves TAT to max(TAT, now) + n·T, allowed while that stays within tau of now.
var gcraScript = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local T, tau, n = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then tat = now end
local new = tat + n * T
if new - now > tau then return 0 end
redis.call('SET', KEYS[1], string.format('%.0f', new), 'PX', math.ceil((new - now) / 1000) + 1)
return 1
`)

// tokenBucketScript: KEYS[1] is a hash {tokens, ts}. ARGV: refill rate (tokens per
// µs), burst (bucket size), n. A refusal writes nothing: the refill is recomputed
// from ts next time. The key expires once the bucket would be full again.
var tokenBucketScript = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local rate, burst, n = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local s = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(s[1]) or burst
local ts = tonumber(s[2]) or now
if now > ts then
  tokens = math.min(burst, tokens + (now - ts) * rate)
  ts = now
end
if tokens < n then return 0 end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens - n), 'ts', string.format('%.0f', ts))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate / 1000) + 1)
return 1
`)

// fixedWindowScript: KEYS[1] counts the current window's events (INCRBY) and
// expires (PEXPIRE) at the end of that window; windows are aligned to multiples of
// the window length on the server clock. ARGV: window (ms), limit per window, n.
// A refusal takes its events back so that the count is of admitted events.
var fixedWindowScript = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window, limit, n = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local c = redis.call('INCRBY', KEYS[1], n)
if c == n then redis.call('PEXPIRE', KEYS[1], window - now % window) end
if c > limit then
  redis.call('DECRBY', KEYS[1], n)
  return 0
end
return 1
`)

// slidingLogScript: KEYS[1] is a sorted set of admitted events scored by their
// time (µs). ARGV: window (µs), limit per window, n, a member prefix unique to the
// call. Events older than the window are dropped, then n more are admitted if the
// window (now-window, now] would hold at most limit.
var slidingLogScript = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local window, limit, n = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - window))
if redis.call('ZCARD', KEYS[1]) + n > limit then return 0 end
local score = string.format('%.0f', now)
for i = 1, n do redis.call('ZADD', KEYS[1], score, ARGV[4] .. ':' .. i) end
redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1)
return 1
`)

// acquireScript grants the lock and its fencing token in one step, so that no
// grant exists without a token. KEYS: lock, fence counter. ARGV: token, TTL (ms).
// Returns the fencing token (>= 1), or 0 when the lock is held.
var acquireScript = goredis.NewScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return 0
`)

// releaseScript deletes the lock only if it still holds the caller's token: a
// holder whose lease expired must not delete its successor's lock.
var releaseScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

// fencedWriteScript: KEYS[1] is a hash {fence, value}. Stores ARGV[2] if the
// fencing token ARGV[1] is at least the highest seen; returns 1 if stored.
var fencedWriteScript = goredis.NewScript(`
local high = tonumber(redis.call('HGET', KEYS[1], 'fence'))
if high ~= nil and tonumber(ARGV[1]) < high then return 0 end
redis.call('HSET', KEYS[1], 'fence', ARGV[1], 'value', ARGV[2])
return 1
`)
