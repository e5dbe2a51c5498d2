-- sieve: the sieve of Eratosthenes over a boolean array, run several times.
-- Exercises: array stores and loads in numeric for loops with a step, table creation.
local SIZE = 120                              -- sieves of LIMIT numbers each
local LIMIT = 200000
local scale = tonumber(arg and arg[1]) or 1
local reps = math.max(1, math.floor(SIZE * scale + 0.5))

local function sieve(limit)
  local composite = {}
  for i = 1, limit do composite[i] = false end
  local count, last = 0, 0
  for i = 2, limit do
    if not composite[i] then
      count, last = count + 1, i
      for k = i * i, limit, i do composite[k] = true end
    end
  end
  return count, last
end

local total, last = 0, 0
for r = 1, reps do
  local c, l = sieve(LIMIT - (r % 5) * 1000)
  total, last = total + c, l
end
print(string.format("sieve: reps=%d primes=%d last=%d", reps, total, last))
