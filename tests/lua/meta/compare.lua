-- __eq, __lt, __le
local mt = {}
local function P(v) return setmetatable({v = v}, mt) end
local eqcalls = 0
mt.__eq = function(a, b) eqcalls = eqcalls + 1; return a.v == b.v end
mt.__lt = function(a, b)
  local av = type(a) == "table" and a.v or a
  local bv = type(b) == "table" and b.v or b
  return av < bv
end
mt.__le = function(a, b)
  local av = type(a) == "table" and a.v or a
  local bv = type(b) == "table" and b.v or b
  return av <= bv
end
local a, b, c = P(1), P(2), P(1)
print(a == c, a ~= c, a == b, a ~= b, eqcalls)
print(a == a, eqcalls)           -- identical: no call
print(a == 1, 1 == a, a == "1", eqcalls)   -- different types: no call
print(a < b, b < a, a <= c, b <= a, a > b, b >= a)
print(a < 5, 0 < a, a <= 1, 2 >= b)

-- __eq result is converted to boolean
local truthy = setmetatable({}, {__eq = function() return "yes" end})
local other = setmetatable({}, {__eq = function() return nil end})
print(truthy == other, other == truthy, truthy ~= other)
-- __eq from either operand's metatable
local only = setmetatable({}, {__eq = function() return true end})
print({} == only, only == {})

-- __lt result converted to boolean
local lt = setmetatable({}, {__lt = function() return 0 end, __le = function() return false end})
print(lt < lt, lt <= lt, lt > lt, lt >= lt)

-- (whether __le falls back to "not __lt" depends on LUA_COMPAT_LT_LE; not tested)
local onlylt = setmetatable({}, {__lt = function() return true end})
print(pcall(function() return onlylt < 1, 1 < onlylt end))

-- comparison of different types with metamethods
local num = setmetatable({}, {__lt = function(x, y) return type(x) == "table" end})
print(num < 1, 1 < num, num > 1)

-- sort uses __lt
local items = {P(3), P(1), P(2)}
table.sort(items)
print(items[1].v, items[2].v, items[3].v)
table.sort(items, function(x, y) return x > y end)
print(items[1].v, items[2].v, items[3].v)

-- __eq is not consulted for table keys
local k1, k2 = P(7), P(7)
local tbl = {[k1] = "first"}
print(k1 == k2, tbl[k2], tbl[k1])
-- rawequal bypasses
print(rawequal(k1, k2), rawequal(k1, k1))

-- errors
print(pcall(function() return {} < {} end))
print(pcall(function() return {} <= 1 end))
print(pcall(function() return setmetatable({}, {}) < setmetatable({}, {}) end))
print(pcall(function() return P(1) < "x" end))
print("done")
