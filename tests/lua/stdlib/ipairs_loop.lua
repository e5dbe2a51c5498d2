-- ipairs loops, which native code steps without calling the iterator when it can: arrays,
-- integer keys in the hash part, holes, __index, changes during the loop, one to three loop
-- variables, and iterators driven by hand
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
