-- recursive calls that want more results than some return of the function gives: the missing
-- results are nil, however the call is made (interpreter, native, a level in line)
local function uneven(n)
  if n == 0 then return 1 end
  local a, b = uneven(n - 1)
  return a + 1, b
end
local function enough(n)
  if n == 0 then return 1, "one" end
  local a, b = enough(n - 1)
  return a + 1, b
end
local function none(n)
  if n == 0 then return end
  local a, b = none(n - 1)
  return a, b
end
local function viacall(n)
  if n == 0 then return table.unpack({ 7 }) end
  local a, b, c = viacall(n - 1)
  return a, b, c
end
local function counted(n)
  if n == 0 then return select(2, "x", "y") end
  local a, b = counted(n - 1)
  return a, b
end
local function varret(n)
  if n == 0 then return 5, table.unpack({}) end
  local a, b = varret(n - 1)
  return a + 1, b
end
local seen = {}
for i = 1, 300 do
  local d = i % 7
  local a, b = uneven(d)
  local c, e = enough(d)
  local f, g = none(d)
  local h, j, k = viacall(d)
  local l, m = counted(d)
  local o, q = varret(d)
  local line = table.concat({ tostring(a), tostring(b), tostring(c), tostring(e), tostring(f),
    tostring(g), tostring(h), tostring(j), tostring(k), tostring(l), tostring(m), tostring(o), tostring(q) }, " ")
  if not seen[line] then seen[line] = true; print(d, line) end
end
