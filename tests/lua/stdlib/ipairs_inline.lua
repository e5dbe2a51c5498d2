-- ipairs steps computed inline by the native tier: array parts, holes, the hash part, __index,
-- tables changed while iterated, and iterators that are not ipairs' own
local function sum(t)
  local s, n, last = 0, 0, 0
  for i, v in ipairs(t) do s = s + (type(v) == "number" and v or 1); n = n + 1; last = i end
  return s, n, last
end
local function keys(t)
  local out = {}
  for i in ipairs(t) do out[#out + 1] = i end
  return #out
end
local function three(t)
  local acc = {}
  for i, v, extra in ipairs(t) do acc[#acc + 1] = tostring(i) .. "=" .. tostring(v) .. "/" .. tostring(extra) end
  return table.concat(acc, ",")
end
local proxy = setmetatable({}, { __index = function(_, k) if k <= 5 then return k * 10 end end })
local partial = setmetatable({ 1, 2 }, { __index = function(_, k) if k <= 4 then return -k end end })
local hashOnly = {}
for i = 1, 10 do hashOnly[i * 1] = i end
local sparse = { 1, 2, nil, 4 }
local grown = {}
for i = 1, 100 do grown[i] = i end
local mixed = { 1, "two", 3.5, true, {} }
for round = 1, 40 do
  local r = {
    { sum({}) }, { sum({ 5, 6, 7 }) }, { sum(sparse) }, { sum(proxy) }, { sum(partial) },
    { sum(hashOnly) }, { sum(grown) }, { sum(mixed) }, { keys(grown) }, { three({ 7, 8 }) },
  }
  if round == 40 then
    for _, x in ipairs(r) do print(table.unpack(x)) end
  end
end
-- the table changes under the loop
local t = { 1, 2, 3 }
local seen = 0
for i, v in ipairs(t) do
  seen = seen + 1
  if i == 3 and #t < 50 then t[#t + 1] = v + 1 end
end
print("grew", seen, #t)
local u = { 1, 2, 3, 4, 5 }
local visits = 0
for i in ipairs(u) do visits = visits + 1; if i == 2 then u[4] = nil end end
print("cut", visits)
-- another iterator in the same loop shape, and ipairs on a string (through its __index)
local function count(n)
  return function(_, i) i = i + 1; if i <= n then return i, i * i end end, nil, 0
end
for round = 1, 40 do
  local s = 0
  for i, v in count(20) do s = s + v end
  if round == 40 then print("count", s) end
end
print(pcall(function() for i, v in ipairs("abc") do print(i, v) end return "no items" end))
print(pcall(function() for i, v in ipairs(nil) do end end))
