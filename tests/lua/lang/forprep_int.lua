-- integer for loops prepared inline by the native tier: counts, empty loops, extreme limits
-- and steps, and the cases that must go through the general preparation (floats, strings, 0)
local function count(a, b, s)
  local n, first, last = 0, nil, nil
  for i = a, b, s do
    n = n + 1
    first = first or i
    last = i
    if n > 5 then break end
  end
  return n, first, last
end
local max, min = math.maxinteger, math.mininteger
local cases = {
  {1, 10, 1}, {10, 1, -1}, {1, 10, 3}, {10, 1, -3}, {5, 5, 1}, {5, 4, 1}, {4, 5, -1},
  {max - 2, max, 1}, {min, min + 2, 1}, {min + 2, min, -1}, {max - 10, max, 4}, {min, max, max},
  {max, min, min}, {0, max, max}, {0, min, min}, {-1, max, max}, {1, min, min}, {min, max, 1},
  {max, min, -1}, {0, 0, min}, {0, -1, min}, {min, min, min}, {max, max, max},
  {1, 2.5, 1}, {1, -2.5, -1}, {1.0, 3, 1}, {1, 3, 0.5}, {"1", 3, 1}, {1, "3", 1}, {1, 1/0, max}, {1, 0/0, 1},
}
for round = 1, 50 do
  for _, c in ipairs(cases) do
    local r = table.pack(pcall(count, c[1], c[2], c[3]))
    if round == 50 then
      print(c[1], c[2], c[3], r[1], r[2], r[3], r[4])
    end
  end
end
for round = 1, 50 do
  local ok, err = pcall(count, 1, 10, 0)
  if round == 50 then print(ok, (err:gsub("^.-:%d+: ", ""))) end
  ok, err = pcall(count, 1, {}, 1)
  if round == 50 then print(ok, (err:gsub("^.-:%d+: ", ""))) end
end
