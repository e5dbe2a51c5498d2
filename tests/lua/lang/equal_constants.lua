-- equality with constants (EQK) and small integers (EQI) for every kind of value at one site:
-- raw equality, never a metamethod, short strings by identity, long strings by content
local long = string.rep("x", 50)
local values = {
  1, 1.0, 2, -0.0, 0, 0/0, math.huge, "a", "b", "ab", "1", "", long, string.rep("x", 49) .. "x",
  true, false, {}, print, setmetatable({}, {__eq = function() return true end}), coroutine.create(print),
}
local function kinds(v)
  local r = {}
  r[#r + 1] = v == 1 and "=1" or "~1"
  r[#r + 1] = v ~= 0 and "~0" or "=0"
  r[#r + 1] = v == 1.0 and "=1.0" or "~1.0"
  r[#r + 1] = v == "a" and "=a" or "~a"
  r[#r + 1] = v ~= "" and "~''" or "=''"
  r[#r + 1] = v == "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" and "=long" or "~long"
  r[#r + 1] = v == true and "=true" or "~true"
  r[#r + 1] = v == false and "=false" or "~false"
  r[#r + 1] = v == nil and "=nil" or "~nil"
  return table.concat(r, " ")
end
for round = 1, 3 do
  for i = 1, #values do
    local line = kinds(values[i])
    if round == 3 then print(i, type(values[i]), line) end
  end
end
local count = 0
for i = 1, 1000 do
  local v = values[i % #values + 1]
  if v == "a" then count = count + 1 end
  if v == 1 then count = count + 10 end
  if v ~= nil then count = count + 100 end
end
print(count)
