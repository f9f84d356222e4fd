package fleet

import goredis "github.com/redis/go-redis/v9"

// The gathering scripts. KEYS[1] is the gathering hash, KEYS[2] its member
// list. Times are microseconds on the server's clock, written with
// string.format because Lua 5.1's tostring keeps only 14 digits. Each returns
// {status, id, index, arrived, start, now, reason}: status is "joined",
// "open", "started", "failed", "late" or "gone"; index is the caller's
// arrival order (join only), arrived the members so far, start the agreed
// start ("" until there is one).

// failLua marks the gathering failed with a reason and keeps it for keep ms,
// long enough for every waiting member to see why, short enough that a retry
// of the same fleet soon after opens a fresh gathering.
const failLua = `
local function fail(reason, keep)
  redis.call('HSET', KEYS[1], 'state', 'failed', 'reason', reason)
  redis.call('PEXPIRE', KEYS[1], keep)
  redis.call('PEXPIRE', KEYS[2], keep)
  return 'failed', reason
end
local function expired(g, now)
  if g[1] == 'open' and now > tonumber(g[5]) then
    return string.format('only %d of %s members arrived before the deadline', redis.call('LLEN', KEYS[2]), g[3])
  end
end
`

// joinScript: ARGV member, size, cell, arrive-within (µs), lead (µs, the
// warm-up included), new id, window duration (µs), failure keep (ms).
var joinScript = goredis.NewScript(failLua + `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local size, within, lead, dur = tonumber(ARGV[2]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[7])
local withinMs, keep = math.ceil(within / 1000), tonumber(ARGV[8])
local g = redis.call('HMGET', KEYS[1], 'state', 'id', 'size', 'cell', 'deadline', 'start', 'reason')
if not g[1] then
  local deadline = string.format('%.0f', now + within)
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'state', 'open', 'id', ARGV[6], 'size', ARGV[2], 'cell', ARGV[3], 'deadline', deadline)
  redis.call('PEXPIRE', KEYS[1], 2 * withinMs)
  g = {'open', ARGV[6], ARGV[2], ARGV[3], deadline, false, false}
end
local state, reason = g[1], g[7] or ''
local nowS = string.format('%.0f', now)
local late = expired(g, now)
if late then
  state, reason = fail(late, keep)
elseif state == 'open' and tonumber(g[3]) ~= size then
  state, reason = fail(ARGV[1] .. ' asked for a fleet of ' .. ARGV[2] .. ', the others of ' .. g[3], keep)
elseif state == 'open' and g[4] ~= ARGV[3] then
  state, reason = fail(ARGV[1] .. ' is about to measure ' .. ARGV[3] .. ', the others ' .. g[4], keep)
end
local arrived = redis.call('LLEN', KEYS[2])
if state == 'failed' then return {'failed', g[2], 0, arrived, '', nowS, reason} end
if state == 'started' then return {'late', g[2], 0, arrived, g[6], nowS, ''} end
local n = redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[2], redis.call('PTTL', KEYS[1]))
local start = ''
if n == size then
  start = string.format('%.0f', now + lead)
  redis.call('HSET', KEYS[1], 'state', 'started', 'start', start)
  local ttl = math.ceil((lead + dur) / 1000)
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
end
return {'joined', g[2], n, n, start, nowS, ''}
`)

// pollScript: ARGV id, failure keep (ms). A member polls its gathering: it
// is gone when it expired or was replaced (another ID).
var pollScript = goredis.NewScript(failLua + `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local nowS = string.format('%.0f', now)
local g = redis.call('HMGET', KEYS[1], 'state', 'id', 'size', 'cell', 'deadline', 'start', 'reason')
if not g[1] or g[2] ~= ARGV[1] then return {'gone', '', 0, 0, '', nowS, ''} end
local state, reason = g[1], g[7] or ''
local late = expired(g, now)
if late then state, reason = fail(late, tonumber(ARGV[2])) end
return {state, g[2], 0, redis.call('LLEN', KEYS[2]), g[6] or '', nowS, reason}
`)

// timeScript returns the server's TIME from the master of KEYS[1], the node
// whose clock the gathering's decisions are made on.
var timeScript = goredis.NewScript(`return redis.call('TIME')`)

// leaveScript: ARGV id, failure keep (ms), reason. A member that stops
// waiting (interrupted) fails its gathering if it is still open, so the others
// learn it at their next poll instead of at the deadline.
var leaveScript = goredis.NewScript(failLua + `
local g = redis.call('HMGET', KEYS[1], 'state', 'id')
if g[1] == 'open' and g[2] == ARGV[1] then fail(ARGV[3], tonumber(ARGV[2])) return 1 end
return 0
`)
