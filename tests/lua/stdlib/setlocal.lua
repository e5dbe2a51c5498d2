-- debug.setlocal from a called function, also while the caller runs native code: the caller
-- sees the new value at once
local function poke(level, n, v) return debug.setlocal(level + 1, n, v) end
local function victim(rounds)
  local a, b, total = 1, 2, 0
  for i = 1, rounds do
    total = total + a + b
    if i == rounds then
      local n1, n2, n3 = poke(1, 2, 100), poke(1, 3, 200), poke(1, 50, 0)
      if rounds % 20 == 0 then print("set", n1, n2, n3) end
    end
  end
  return a, b, total
end
for r = 1, 60 do
  local a, b, total = victim(r)
  if r % 20 == 0 then print(r, a, b, total) end
end
-- through a for-in iterator and a nested native call
local function iter(_, i)
  if i < 3 then
    if i == 2 then debug.setlocal(2, 1, "changed") end
    return i + 1
  end
end
local function walk()
  local label = "orig"
  local seen = {}
  for i in iter, nil, 0 do seen[#seen + 1] = label .. i end
  return table.concat(seen, ",")
end
for r = 1, 60 do local s = walk(); if r == 60 then print(s) end end
print(pcall(debug.setlocal, 50, 1, 1))
print(pcall(debug.setlocal, 1, 1))
print(debug.setlocal(1, 1, "main"))
