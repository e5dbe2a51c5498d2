-- queens: count all placements of N non-attacking queens by backtracking.
-- Exercises: recursion with early exits, boolean arrays indexed by computed diagonals.
local SIZE = 16                               -- boards solved, alternately N and N-1 wide
local N = 11
local scale = tonumber(arg and arg[1]) or 1
local reps = math.max(1, math.floor(SIZE * scale + 0.5))

local function solve(n)
  local cols, diag1, diag2 = {}, {}, {}
  for i = 1, 2 * n do cols[i], diag1[i], diag2[i] = false, false, false end
  local function place(row)
    if row > n then return 1 end
    local found = 0
    for c = 1, n do
      local d1, d2 = row + c, row - c + n
      if not cols[c] and not diag1[d1] and not diag2[d2] then
        cols[c], diag1[d1], diag2[d2] = true, true, true
        found = found + place(row + 1)
        cols[c], diag1[d1], diag2[d2] = false, false, false
      end
    end
    return found
  end
  return place(1)
end

local total = 0
for r = 1, reps do total = total + solve(N - (r % 2)) end
print(string.format("queens: n=%d reps=%d solutions=%d", N, reps, total))
