-- table.insert(t, v) and #t, which native code computes inline for tables without a
-- metatable while the length hint holds: appends, holes, removals from the end, full array
-- parts, nil values, metatables with __len/__newindex, and non-tables, in hot loops.

local function append_all(n)
  local t = {}
  for i = 1, n do table.insert(t, i * 3) end
  return t
end

local function fill_by_length(n)
  local t = {}
  for i = 1, n do t[#t + 1] = i end
  return t
end

local function sum(t)
  local s = 0
  for i = 1, #t do s = s + t[i] end
  return s
end

for round = 1, 60 do
  local a = append_all(round)
  local b = fill_by_length(round)
  if round % 15 == 0 then print(round, #a, sum(a), #b, sum(b)) end
end

-- Length after removals from the end, and after appends that follow them.
local function shrink_grow()
  local t = fill_by_length(40)
  local seen = {}
  for i = 1, 10 do t[#t] = nil; seen[#seen + 1] = #t end
  for i = 1, 5 do table.insert(t, -i); seen[#seen + 1] = #t end
  return table.concat(seen, " ")
end
for _ = 1, 50 do shrink_grow() end
print(shrink_grow())

-- A hole in the middle: the border the hint keeps must still be a border.
local function with_hole()
  local t = {}
  for i = 1, 20 do table.insert(t, i) end
  t[21] = nil
  local n1 = #t
  table.insert(t, "x")
  local n2 = #t
  return n1, n2, t[21]
end
for _ = 1, 50 do with_hole() end
print(with_hole())

-- table.insert with a nil value, and with a position.
local function odd_inserts()
  local t = { 1, 2, 3 }
  table.insert(t, nil)
  local n1 = #t
  table.insert(t, 1, 0)
  table.insert(t, 9)
  return n1, #t, table.concat(t, ",")
end
for _ = 1, 50 do odd_inserts() end
print(odd_inserts())

-- Metatables: __newindex sees every append, __len decides the position.
local function with_meta()
  local log = {}
  local store = {}
  local proxy = setmetatable({}, {
    __newindex = function(_, k, v) log[#log + 1] = k; store[k] = v end,
    __index = store,
    __len = function() return #store end,
  })
  for i = 1, 5 do table.insert(proxy, i * 10) end
  return #proxy, table.concat(log, " "), store[5]
end
for _ = 1, 50 do with_meta() end
print(with_meta())

-- A table whose array part is full (constructor-sized), then appended to.
local function full_array()
  local t = { 1, 2, 3, 4 }
  for i = 5, 12 do table.insert(t, i) end
  return #t, t[12]
end
for _ = 1, 50 do full_array() end
print(full_array())

-- Errors come from the library function, with its message.
local function bad(x) table.insert(x, 1) end
for _ = 1, 50 do pcall(bad, {}) end
print(pcall(bad, 42))
print(pcall(bad, "str"))
print(select("#", table.insert({}, 1)))

-- Strings: # stays the byte length.
local function slen(s) return #s end
for _ = 1, 50 do slen("abc") end
print(slen(""), slen("hello"), slen("\0\0"))
