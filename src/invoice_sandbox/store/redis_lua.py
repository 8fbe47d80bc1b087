"""The Redis store's scripts. Each runs atomically and touches the keys of one namespace only
(one hash tag, so one cluster slot), but ``NUMBERED``, which draws from a counter that may be
another namespace's (the journal's ``seq``, in ``GLOBAL``): fine on the one server the store
talks to. ``redis.py`` says which keys each is passed.
"""

from __future__ import annotations

from .redis_wire import Script

# Writes (puts, and deletes as empty data) to one namespace. KEYS: seq, keys, then a records
# hash and its order zset per write; ARGV: id and data per write. Returns how many were deleted.
WRITE = Script("""
local deleted = 0
for i = 1, #ARGV, 2 do
  local records, order, id, data = KEYS[i + 2], KEYS[i + 3], ARGV[i], ARGV[i + 1]
  if data == '' then
    deleted = deleted + redis.call('HDEL', records, id)
    redis.call('ZREM', order, id)
  else
    redis.call('HSET', records, id, data)
    if not redis.call('ZSCORE', order, id) then
      redis.call('ZADD', order, redis.call('INCR', KEYS[1]), id)
      redis.call('SADD', KEYS[2], records, order, KEYS[1])
    end
  end
end
return deleted
""")

# One page of records in order, read atomically. KEYS: records, order; ARGV: start, stop.
PAGE = Script("""
local page = {}
for i, id in ipairs(redis.call('ZRANGE', KEYS[2], ARGV[1], ARGV[2])) do
  page[i] = redis.call('HGET', KEYS[1], id)
end
return page
""")

# A record and every record of another kind (ordered), as of one moment. KEYS: the record's
# hash, the listed kind's hash and order zset; ARGV: the record's id. Returns {record, page}.
GET_LIST = Script("""
local page = {}
for i, id in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
  page[i] = redis.call('HGET', KEYS[2], id)
end
return {redis.call('HGET', KEYS[1], ARGV[1]), page}
""")

# An expiring counter. KEYS: counter, expiring registry; ARGV: ttl. On the first hit the key is
# recorded (with a second's margin) for reset, and keys long gone are dropped from the record.
HIT = Script("""
local n = redis.call('INCR', KEYS[1])
if n == 1 then
  local now = tonumber(redis.call('TIME')[1])
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]) + 1, KEYS[1])
end
return n
""")

# A counter's next value, the counter recorded for reset. KEYS: counter, keys.
NEXT = Script("""
local n = redis.call('INCR', KEYS[1])
redis.call('SADD', KEYS[2], KEYS[1])
return n
""")

# One log entry, the oldest dropped past keep, the log recorded for reset. KEYS: log, keys;
# ARGV: entry, keep (at least 1).
APPEND = Script("""
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
redis.call('SADD', KEYS[2], KEYS[1])
""")

# A log entry numbered as it is appended: the counter's next value goes between the entry's
# encoded head and tail. KEYS: counter, the counter namespace's keys, log, the log namespace's
# keys; ARGV: head, tail, keep (at least 1). Returns the number.
NUMBERED = Script("""
local n = redis.call('INCR', KEYS[1])
redis.call('SADD', KEYS[2], KEYS[1])
redis.call('RPUSH', KEYS[3], ARGV[1] .. string.format('%d', n) .. ARGV[2])
redis.call('LTRIM', KEYS[3], -tonumber(ARGV[3]), -1)
redis.call('SADD', KEYS[4], KEYS[3])
return n
""")

# A transaction's read that also proves its earlier reads still hold: each earlier one is read
# again and compared by digest (SHA1 of a record, '-' for none; of a page, its records as
# '<length>:<data>' one after another). A get names 1 key (records) and 2 args ('g', id); a
# page 2 keys (records, order) and 3 args ('p', start, stop). KEYS: the earlier reads', then
# this one's; ARGV: how many earlier reads, each one's args and digest, then this one's args.
# Returns {1, what this read finds}, or {0} when an earlier read no longer holds.
READ = Script("""
local k, a = 1, 2
local function read()
  if ARGV[a] == 'g' then
    k, a = k + 1, a + 2
    return redis.call('HGET', KEYS[k - 1], ARGV[a - 1])
  end
  local page = {}
  for i, id in ipairs(redis.call('ZRANGE', KEYS[k + 1], ARGV[a + 1], ARGV[a + 2])) do
    page[i] = redis.call('HGET', KEYS[k], id)
  end
  k, a = k + 2, a + 3
  return page
end
local function digest(found)
  if type(found) ~= 'table' then return found and redis.sha1hex(found) or '-' end
  local parts = {}
  for i, data in ipairs(found) do parts[i] = #data .. ':' .. data end
  return redis.sha1hex(table.concat(parts))
end
for _ = 1, tonumber(ARGV[1]) do
  if digest(read()) ~= ARGV[a] then return {0} end
  a = a + 1
end
return {1, read()}
""")

ALL = (WRITE, PAGE, GET_LIST, HIT, NEXT, APPEND, NUMBERED, READ)
