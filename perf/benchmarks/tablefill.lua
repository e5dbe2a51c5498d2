-- tablefill: filling and summing tables in the ways programs commonly do.
-- Exercises: array append (t[#t+1], table.insert), preallocated numeric stores, string keys
-- built by concatenation, integer keys in the hash part, ipairs/pairs/numeric traversal,
-- table.remove from the end, and nested record tables. Sums do not depend on pairs() order.
local SIZE = 24                               -- rounds
local COUNT = 100000                          -- elements per table
local scale = tonumber(arg and arg[1]) or 1
local rounds = math.max(1, math.floor(SIZE * scale + 0.5))

local total = 0
for r = 1, rounds do
  local arr = {}
  for i = 1, COUNT do arr[#arr + 1] = i + r end
  local ins = {}
  for i = 1, COUNT do table.insert(ins, i * 2) end
  local s = 0
  for i = 1, #arr do s = s + arr[i] end
  for _, v in ipairs(ins) do s = s + v end

  local byName = {}
  for i = 1, COUNT / 4 do byName["key" .. i] = i end
  for i = 1, COUNT / 4, 3 do s = s + byName["key" .. i] end

  local sparse = {}
  for i = 1, COUNT / 4 do sparse[i * 7919 % 1000003] = i end
  for k, v in pairs(sparse) do s = s + v + k % 13 end

  local records = {}
  for i = 1, COUNT / 10 do records[i] = { id = i, value = i % 97, tag = "r" } end
  for i = 1, #records do local rec = records[i]; s = s + rec.id * rec.value end

  while #ins > COUNT / 2 do s = s + table.remove(ins) end
  total = (total + s) % 2147483647
end
print(string.format("tablefill: rounds=%d total=%d", rounds, total))
