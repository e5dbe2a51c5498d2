-- n-queens (counting and first solution) and a backtracking sudoku solver
local function queens(n)
  local cols, d1, d2 = {}, {}, {}
  local placement, count, first = {}, 0, nil
  local function place(r)
    if r > n then
      count = count + 1
      if not first then first = {table.unpack(placement)} end
      return
    end
    for c = 1, n do
      if not cols[c] and not d1[r + c] and not d2[r - c + n] then
        cols[c], d1[r + c], d2[r - c + n] = true, true, true
        placement[r] = c
        place(r + 1)
        cols[c], d1[r + c], d2[r - c + n] = nil, nil, nil
      end
    end
  end
  place(1)
  return count, first
end
for n = 1, 8 do
  local count, first = queens(n)
  print(n, count, first and table.concat(first, ",") or "-")
end
local _, sol = queens(8)
for r = 1, 8 do
  local row = {}
  for c = 1, 8 do row[c] = (sol[r] == c) and "Q" or "." end
  print(table.concat(row, " "))
end

-- sudoku
local puzzle = {
  "53..7....", "6..195...", ".98....6.",
  "8...6...3", "4..8.3..1", "7...2...6",
  ".6....28.", "...419..5", "....8..79",
}
local grid = {}
for r = 1, 9 do
  grid[r] = {}
  for c = 1, 9 do
    local ch = puzzle[r]:sub(c, c)
    grid[r][c] = ch == "." and 0 or tonumber(ch)
  end
end
local function ok(g, r, c, v)
  for i = 1, 9 do
    if g[r][i] == v or g[i][c] == v then return false end
  end
  local br, bc = (r - 1) // 3 * 3, (c - 1) // 3 * 3
  for i = 1, 3 do for j = 1, 3 do if g[br + i][bc + j] == v then return false end end end
  return true
end
local guesses = 0
local function solve(g)
  for r = 1, 9 do
    for c = 1, 9 do
      if g[r][c] == 0 then
        for v = 1, 9 do
          if ok(g, r, c, v) then
            g[r][c] = v
            guesses = guesses + 1
            if solve(g) then return true end
            g[r][c] = 0
          end
        end
        return false
      end
    end
  end
  return true
end
print("solved", solve(grid), "guesses", guesses)
for r = 1, 9 do print(table.concat(grid[r], "")) end
-- verify
local valid = true
for i = 1, 9 do
  local rs, cs, bs = {}, {}, {}
  for j = 1, 9 do
    rs[grid[i][j]] = true; cs[grid[j][i]] = true
    local br, bc = (i - 1) // 3 * 3, (i - 1) % 3 * 3
    bs[grid[br + (j - 1) // 3 + 1][bc + (j - 1) % 3 + 1]] = true
  end
  for v = 1, 9 do if not (rs[v] and cs[v] and bs[v]) then valid = false end end
end
print("valid", valid)

-- an unsolvable puzzle fails cleanly
local bad = {}
for r = 1, 9 do bad[r] = {} for c = 1, 9 do bad[r][c] = 0 end end
for c = 2, 9 do bad[1][c] = c - 1 end   -- row 1 holds 1..8, so cell (1,1) needs 9
bad[5][1] = 9                           -- ...but column 1 already has a 9
guesses = 0
print("unsolvable", solve(bad) and "solved?" or "no solution", guesses)
print("done")
