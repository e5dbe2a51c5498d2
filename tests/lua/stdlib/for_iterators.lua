-- ipairs and pairs loops, which native code steps without calling the iterator when it can:
-- arrays, integer keys in the hash part, holes, __index, changes during the loop, one to three
-- loop variables, and iterators driven by hand
local function collect(t, limit)
  local out = {}
  for i, v in ipairs(t) do
    out[#out + 1] = i .. "=" .. tostring(v)
    if limit and #out >= limit then break end
  end
  return table.concat(out, " ")
end
local function sum1(t) local s = 0 for i in ipairs(t) do s = s + i end return s end
local function sum3(t) local s, n = 0, 0 for i, v, extra in ipairs(t) do s = s + v; n = n + (extra == nil and 1 or 100) end return s, n end
for _ = 1, 60 do collect({1, 2, 3}); sum1({1, 2}); sum3({4, 5}) end

local hashed = {}
hashed[3] = "c"; hashed[1] = "a"; hashed[2] = "b"; hashed[5] = "e"
print(collect({10, 20, 30}), "|", collect({}), "|", collect(hashed), "|", collect({1, nil, 3}))
print(sum1({5, 6, 7, 8}), sum3({1, 2, 3}), sum3({}))
print(collect({false, 0, "", {} ~= nil}))

-- __index supplies elements past the end (and in holes); a metatable without __index
local proxy = setmetatable({1, 2}, {__index = function(t, i) if i <= 5 then return i * 100 end end})
print(collect(proxy))
local holes = setmetatable({1, nil, 3}, {__index = {[2] = "from index", [4] = "four"}})
print(collect(holes))
print(collect(setmetatable({7, 8}, {})))
print(pcall(collect, setmetatable({7}, {__index = function(t, k) error("index " .. k) end})))

-- the table changes while it is traversed
local growing = {1, 2, 3}
local seen = {}
for i, v in ipairs(growing) do
  seen[#seen + 1] = v
  if i < 6 then growing[#growing + 1] = v * 10 end
  if i == 2 then growing[4] = nil end
end
print(table.concat(seen, ","))
local shrinking = {1, 2, 3, 4, 5}
for i in ipairs(shrinking) do shrinking[i + 1] = nil end
print(#shrinking, shrinking[1])

-- the iterator itself, with control values the loop would never make
local step = ipairs({})
local arr = {"x", "y"}
local function drive(t, c) local out = {} for i, v in step, t, c do out[#out + 1] = i .. ":" .. tostring(v) if #out > 3 then break end end return table.concat(out, " ") end
for _ = 1, 60 do drive(arr, 0) end
print(drive(arr, 0), "|", drive(arr, 1), "|", drive(arr, -1), "|", drive(arr, 2))
print(drive({[math.mininteger] = "min"}, math.maxinteger))
print(pcall(drive, arr, "0"), pcall(drive, arr, 0.0))
print(pcall(drive, arr, "x"))
print(pcall(drive, arr, 0.5))
print(pcall(drive, nil, 0))
print(drive("ab", 0), drive(setmetatable({}, {__index = function(t, k) return k < 3 and k or nil end}), 0))
print(select("#", step(arr, 2)), step(arr, 0))

-- ipairs replaced by a Lua function
local realIpairs = ipairs
ipairs = function(t) return function(s, i) if i < 2 then return i + 1, "mine" end end, t, 0 end
print(collect({1, 2, 3}))
ipairs = realIpairs
print(collect({1, 2, 3}))

-- pairs (next): the visiting order is not defined, so results are sorted or summed
local function keys(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = tostring(k) end
  table.sort(out)
  return table.concat(out, ",")
end
local function entries(t)
  local out = {}
  for k, v, extra in pairs(t) do out[#out + 1] = tostring(k) .. "=" .. tostring(v) .. (extra == nil and "" or "!") end
  table.sort(out)
  return table.concat(out, " ")
end
for _ = 1, 60 do keys({1, 2, x = 1}); entries({a = 1}) end
print(keys({}), "|", keys({10, 20, 30}), "|", keys({x = 1, y = 2, [1.5] = 3, [true] = 4}), "|", entries({1, nil, 3, k = "v"}))
local mixed = {1, 2, 3, a = "A", b = "B"}
mixed[100] = "hundred"
print(entries(mixed))
-- assigning existing fields (and clearing them) during the traversal is allowed
local clear = {a = 1, b = 2, c = 3, 4, 5, 6}
local count = 0
for k in pairs(clear) do clear[k] = nil; count = count + 1 end
print(count, next(clear))
local double = {x = 1, y = 2, 3}
for k, v in pairs(double) do double[k] = v * 2 end
print(entries(double))
-- __pairs, and pairs replaced by a Lua function
print(entries(setmetatable({}, {__pairs = function(t) return function(_, k) if not k then return 1, "one" end end, t, nil end})))
print(entries(setmetatable({q = 1}, {__index = function() return "never" end})))
-- next driven by hand: a key that is not in the table, and a table that is not one
local function walk(t, k) local n = 0 for _ in next, t, k do n = n + 1 end return n end
for _ = 1, 60 do walk({1, 2}, nil) end
print(walk({1, 2, 3}, nil), walk({1, 2, 3}, 1), walk({1, 2, 3}, 3), walk({a = 1}, "a"))
print(pcall(walk, {1, 2}, "nokey"))
print(pcall(walk, {1, 2}, 10))
print(pcall(walk, "str", nil))
local realNext = next
next = function() return nil end
print(keys({1, 2}), walk({1, 2}, nil))
next = realNext
