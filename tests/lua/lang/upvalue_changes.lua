-- Upvalues read in hot loops while something else changes them: a sibling closure, the
-- function's own assignment, debug.setupvalue, debug.upvaluejoin, a metamethod and a
-- coroutine. Every change must be seen at the next read, also in native code, which may
-- not keep an upvalue's value in a machine register across any of them.

local shared = 0
local function bump() shared = shared + 1 end

-- a call changes the upvalue between two reads in the same iteration
local function reads_around_call(n)
  local total = 0
  for i = 1, n do
    total = total + shared
    if i % 3 == 0 then bump() end
    total = total + shared * 2
  end
  return total
end
print("call", reads_around_call(3000), shared)

-- the function's own assignment, then a read
local counter = 10
local function own_writes(n)
  local s = 0
  for i = 1, n do
    s = s + counter
    counter = counter + (i % 2)
    s = s + counter
  end
  return s
end
print("own", own_writes(3000), counter)

-- debug.setupvalue from a called function
local target = 1
local function reader(n)
  local s = 0
  for i = 1, n do
    s = s + target
    if i % 100 == 0 then debug.setupvalue(reader, 1, target + 1) end
  end
  return s
end
print("setupvalue", reader(3000), target)

-- two upvalues of one closure joined to one variable: a write through one is a read through the other
local a, b = 1, 100
local function joined(n)
  local s = 0
  for i = 1, n do
    s = s + a + b
    a = a + 1
  end
  return s
end
local function helper() return a, b end
debug.upvaluejoin(joined, 2, joined, 1)   -- joined's b is now the variable a
print("join", joined(3000), a, b)

-- a metamethod (run by the index helper) changes the upvalue the loop reads
local limit = 0
local proxy = setmetatable({}, { __index = function(_, k) limit = limit + k; return k end })
local function through_meta(n)
  local s = 0
  for i = 1, n do
    s = s + limit
    s = s + proxy[i % 5]
    s = s + limit
  end
  return s
end
print("meta", through_meta(3000), limit)

-- a coroutine resumed in the loop changes the upvalue
local level = 0
local co = coroutine.wrap(function()
  while true do level = level + 7; coroutine.yield() end
end)
local function with_coroutine(n)
  local s = 0
  for i = 1, n do
    s = s + level
    if i % 10 == 0 then co() end
    s = s + level
  end
  return s
end
print("coroutine", with_coroutine(3000), level)

-- a table held in an upvalue is replaced by the callee while the loop indexes it
local tab = { 1, 2, 3 }
local function swap() tab = { 10, 20, 30 } end
local function indexes(n)
  local s = 0
  for i = 1, n do
    s = s + tab[i % 3 + 1]
    if i == n // 2 then swap() end
  end
  return s
end
print("table", indexes(3000), tab[1])

-- _ENV: a global assigned by a callee through the globals table
G_VALUE = 5
local function set_global() G_VALUE = G_VALUE * 2 end
local function globals(n)
  local s = 0
  for i = 1, n do
    s = s + G_VALUE
    if i % 1000 == 0 then set_global() end
  end
  return s
end
print("global", globals(3000), G_VALUE)
