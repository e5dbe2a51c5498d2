-- Tables edited while hot code reads them: a metatable that gets ordinary fields and then
-- metamethods in the middle of a loop, arrays that grow and are read in the same iteration,
-- and upvalues that are re-pointed by another function. Every read must see the last write.

-- A metatable whose plain fields change on every iteration; its __index appears later.
local mt = { hits = 0 }
local obj = setmetatable({ own = 1 }, mt)
local seen = {}
for i = 1, 60 do
  mt.hits = mt.hits + 1                -- not a metamethod name: lookups through mt stay valid
  local v = obj.missing                 -- nil until __index exists
  seen[#seen + 1] = v == nil and "nil" or tostring(v)
  if i == 30 then mt.__index = function(_, k) return k .. "@" .. mt.hits end end
  if i == 45 then mt.__index = { missing = "table" } end
end
print(mt.hits, obj.own, table.concat(seen, " ", 28, 34), seen[46], seen[60])

-- __newindex set from a hot loop: later stores of absent keys go through it.
local log = {}
local proxy = setmetatable({}, {})
local pmt = getmetatable(proxy)
for i = 1, 40 do
  proxy["k" .. (i % 5)] = i
  proxy.fixed = i
  if i == 20 then pmt.__newindex = function(t, k, v) log[#log + 1] = k .. "=" .. v; rawset(t, k, v) end end
  if i == 21 then proxy.k0, proxy.k1, proxy.fixed = nil, nil, nil end
end
print(#log, log[1], log[#log], proxy.k0, proxy.k4, proxy.fixed)

-- __newindex switched on and off by a hot loop: while it is off the runtime remembers that
-- the metatable lacks it, and switching it on must make that memory void.
local calls = 0
local function handler(t, k, v) calls = calls + 1; rawset(t, k, v * 10) end
local box = setmetatable({}, { __newindex = handler })
local bmt = getmetatable(box)
local got = {}
local function store(i)
  bmt.__newindex = (i % 3 == 0) and handler or nil
  box.slot = nil
  box.slot = i
  got[#got + 1] = box.slot
end
for i = 1, 300 do store(i) end
print(calls, got[1], got[3], got[298], got[300])

-- An array grown and read in the same iteration, through two names for one table.
local a = {}
local alias = a
local sum = 0
for i = 1, 500 do
  a[#a + 1] = i
  sum = sum + alias[i] + #alias
  if i % 100 == 0 then alias[i] = -i end
  sum = sum + a[i]
end
print(#a, sum)

-- Fields of one record read, written and read again, with another record in between.
local p, q = { x = 1.5, y = 2 }, { x = 0, y = 0 }
for i = 1, 200 do
  p.x, p.y = p.x + q.x, p.y + i
  q.x, q.y = p.x * 0.5, q.y - p.y
  if i == 100 then q = p end           -- from now on both names are the same record
end
print(p.x, p.y, q.x == p.x, q.y)

-- An upvalue re-pointed by another function between reads of it.
local cur = { 1, 2, 3 }
local function swap() cur = { 10, 20, 30, 40 } end
local total = 0
for i = 1, 100 do
  total = total + cur[1] + #cur
  if i == 50 then swap() end
  total = total + cur[#cur]
end
print(total)
