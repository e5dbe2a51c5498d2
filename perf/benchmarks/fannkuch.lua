-- fannkuch: for every permutation of 1..N, repeatedly reverse the first k elements where k is
-- the first element, until 1 comes first; report the most flips and a signed checksum.
-- Exercises: small integer arrays, swaps in while loops, permutation generation by rotation.
local SIZE = 4                                -- passes over all permutations of 1..N
local N = 9                                   -- cost of one pass grows like N!
local scale = tonumber(arg and arg[1]) or 1
local reps = math.max(1, math.floor(SIZE * scale + 0.5))
if SIZE * scale < 0.5 then N = N - 1 end      -- --quick: a pass of 8! is 9 times shorter

local function fannkuch(n)
  local perm, work, count = {}, {}, {}
  for i = 1, n do perm[i], count[i] = i, 0 end
  local maxflips, checksum, index = 0, 0, 0
  while true do
    -- Count flips of the current permutation on a copy.
    if perm[1] ~= 1 then
      for i = 1, n do work[i] = perm[i] end
      local flips = 0
      local k = work[1]
      while k ~= 1 do
        local lo, hi = 1, k
        while lo < hi do
          work[lo], work[hi] = work[hi], work[lo]
          lo, hi = lo + 1, hi - 1
        end
        flips = flips + 1
        k = work[1]
      end
      if flips > maxflips then maxflips = flips end
      if index % 2 == 0 then checksum = checksum + flips else checksum = checksum - flips end
    end
    index = index + 1
    -- Next permutation: rotate the first r elements left, counting like a mixed-radix odometer.
    local r = 2
    while true do
      if r > n then
        return index, checksum, maxflips
      end
      local first = perm[1]
      for i = 1, r - 1 do perm[i] = perm[i + 1] end
      perm[r] = first
      count[r] = count[r] + 1
      if count[r] < r then break end
      count[r] = 0
      r = r + 1
    end
  end
end

local perms, checksum, maxflips = 0, 0, 0
for _ = 1, reps do
  local p, c, m = fannkuch(N)
  perms, checksum, maxflips = perms + p, checksum + c, m
end
print(string.format("fannkuch: n=%d reps=%d perms=%d checksum=%d maxflips=%d", N, reps, perms, checksum, maxflips))
