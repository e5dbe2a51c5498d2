-- inttable: one table of a million integers, filled in order, then read back several times.
-- Exercises: the array part of a table as it grows (and its memory per element: the harness
-- reports the peak resident set), integer stores and loads in numeric for loops.
local SIZE = 1000000                          -- elements
local READS = 40                              -- passes over the table
local scale = tonumber(arg and arg[1]) or 1
local n = math.max(1000, math.floor(SIZE * scale + 0.5))

local t = {}
for i = 1, n do t[i] = i * 3 end
local sum = 0
for _ = 1, READS do
  for i = 1, n do sum = sum + t[i] end
end
print(string.format("inttable: n=%d sum=%d", n, sum))
