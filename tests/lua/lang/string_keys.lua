-- t[k] and t[k] = v with a string key in a register, which native code looks up inline for
-- short strings once the interpreter has seen a string key at the site: updates, inserts,
-- deletions, long strings (not interned), integer and string keys at one site, metatables
-- with __index/__newindex (functions and tables), a key naming a metamethod set through a
-- register, non-table receivers and the errors of nil and NaN keys. Each function runs many
-- times first, so in adaptive mode it is compiled from that feedback before the checks.

local keys = {}
for i = 1, 30 do keys[i] = "key" .. i end
local long = string.rep("a-long-key-", 6)           -- 66 bytes: not a short string
keys[31] = long

local function put(t, k, v) t[k] = v end
local function get(t, k) return t[k] end
local function fill(t, n, base)
  for i = 1, n do t[keys[(i - 1) % #keys + 1]] = base + i end
  return t
end
local function total(t, n)
  local s = 0
  for i = 1, n do local v = t[keys[(i - 1) % #keys + 1]]; if v then s = s + v end end
  return s
end

-- Warm-up: every site sees string keys (and some integers) on plain tables.
local warm = {}
for r = 1, 60 do
  fill(warm, 62, r)
  put(warm, "w" .. (r % 7), r)
  put(warm, r % 5 + 1, r)
  local _ = get(warm, "w" .. (r % 7)), get(warm, r % 5 + 1)
end
print("warm", total(warm, 62), get(warm, "w3"), get(warm, 2))

-- Updates and inserts in new tables, each round different values.
local sum = 0
for r = 1, 50 do
  local t = fill({}, 93, r * 10)
  sum = sum + total(t, 93)
end
print("rounds", sum)

-- Deletion and re-insertion through a register key; absent keys read nil.
local t = fill({}, 31, 0)
for i = 1, 31, 3 do put(t, keys[i], nil) end
print("deleted", total(t, 31), get(t, "key1"), get(t, "key2"), get(t, "nokey"))
for i = 1, 31, 3 do put(t, keys[i], -i) end
print("reinserted", total(t, 31), get(t, long))

-- A long key built at run time finds the entry of an equal long string.
local built = string.rep("a-long-key-", 3) .. string.rep("a-long-key-", 3)
print("long", get(t, built) == get(t, long), get(t, built))

-- Integer, float and boolean keys at the same sites.
put(t, 7, "seven"); put(t, 2.5, "two and a half"); put(t, true, "yes")
print("mixed", get(t, 7), get(t, 7.0), get(t, 2.5), get(t, true), get(t, "key7"))

-- Metatables: __index and __newindex functions and tables see register keys.
local seen = {}
local proxy = setmetatable({}, {
  __index = function(_, k) return "default " .. k end,
  __newindex = function(tbl, k, v) seen[#seen + 1] = k; rawset(tbl, k, v * 2) end,
})
for i = 1, 5 do put(proxy, keys[i], i) end
print("proxy", #seen, get(proxy, "key3"), get(proxy, "key9"), rawget(proxy, "key9"))
local base = { greet = "hello", key4 = "from base" }
local child = setmetatable({ key5 = "own" }, { __index = base })
print("chain", get(child, "greet"), get(child, "key4"), get(child, "key5"), get(child, "absent"))
local store = {}
local redirect = setmetatable({}, { __newindex = store })
put(redirect, "key6", 66)
print("redirect", rawget(redirect, "key6"), store.key6)

-- A metamethod added through a register key after the table was used as a metatable.
local mt = {}
local obj = setmetatable({}, mt)
print("before", get(obj, "x"))
put(mt, "__index", function(_, k) return "via __index: " .. k end)
print("after", get(obj, "x"))
put(mt, "__newindex", function(tbl, k, v) rawset(tbl, k, "set " .. tostring(v)) end)
put(obj, "y", 5)
print("newindex", rawget(obj, "y"))

-- Non-tables and bad keys.
print("string", get("abc", "upper") == string.upper, pcall(put, "abc", "x", 1))
print("nil receiver", pcall(get, nil, "key1"))
print("nil key", pcall(put, {}, nil, 1))
print("nan key", pcall(put, {}, 0 / 0, 1))
print("nil key read", get({}, nil))
