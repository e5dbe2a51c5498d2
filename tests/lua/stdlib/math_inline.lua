-- math functions the native tier computes inline (sqrt, abs, floor, ceil, min, max):
-- every argument kind, including the ones that must reach the library function itself
local sqrt, abs, floor, ceil, min, max = math.sqrt, math.abs, math.floor, math.ceil, math.min, math.max
local function f(x, y)
  return sqrt(x), abs(x), floor(x), ceil(x), min(x, y), max(x, y), math.sqrt(x), math.max(y, x)
end
local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = string.format("%s:%s", math.type(t[i]) or type(t[i]), tostring(t[i])) end
  return table.concat(t, " ")
end
for i = 1, 200 do f(i, i * 0.5) end
local inputs = {4, -4, 2.5, -2.5, 0.0, -0.0, 1/0, -1/0, 0/0, math.mininteger, math.maxinteger, 2^63, -2^63, 1e300, 3}
for _, x in ipairs(inputs) do
  for _, y in ipairs({1, 2.5, -1/0, 0/0}) do
    print(show(pcall(f, x, y)))
  end
end
print(pcall(f, "9", 1))
print(pcall(f, {}, 1))
print(pcall(f, nil, 1))
print(pcall(function() return math.max(1, "x") end))
math.sqrt = function(x) return "mine" .. tostring(x) end
local function g(x) return math.sqrt(x) end
for i = 1, 100 do assert(g(i) == "mine" .. i) end
print(g(2))
