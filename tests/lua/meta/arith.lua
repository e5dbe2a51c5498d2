-- arithmetic, bitwise, concat, len and unm metamethods
local V = {}
V.__index = V
local function vec(x, y) return setmetatable({x = x, y = y}, V) end
local function show(v) return type(v) == "table" and "(" .. v.x .. "," .. v.y .. ")" or tostring(v) end
V.__add = function(a, b)
  if type(a) == "number" then return vec(a + b.x, a + b.y) end
  if type(b) == "number" then return vec(a.x + b, a.y + b) end
  return vec(a.x + b.x, a.y + b.y)
end
V.__sub = function(a, b) return vec(a.x - b.x, a.y - b.y) end
V.__mul = function(a, b) if type(b) == "number" then return vec(a.x * b, a.y * b) end return a.x * b.x + a.y * b.y end
V.__div = function(a, b) return vec(a.x / b, a.y / b) end
V.__mod = function(a, b) return vec(a.x % b, a.y % b) end
V.__pow = function(a, b) return vec(a.x ^ b, a.y ^ b) end
V.__unm = function(a, b) return vec(-a.x, -a.y), "ignored" end
V.__idiv = function(a, b) return vec(a.x // b, a.y // b) end
V.__len = function(a) return 2 end
V.__concat = function(a, b)
  return (type(a) == "table" and show(a) or a) .. "&" .. (type(b) == "table" and show(b) or b)
end
local p, q = vec(1, 2), vec(3, 4)
print(show(p + q), show(p + 10), show(10 + p), show(q - p), p * q, show(p * 3))
print(show(q / 2), show(q % 2), show(p ^ 2), show(-p), show(q // 2), #p)
print(p .. q, p .. "s", "s" .. p, 1 .. p, p .. 2)
print("a" .. "b" .. p .. "c")   -- right associative: "b"..(p.."c") first
-- the unm metamethod gets the operand twice
local seen
local U = setmetatable({}, {__unm = function(a, b) seen = rawequal(a, b); return "neg" end})
print(-U, seen)
-- len result is not truncated to number
print(#setmetatable({}, {__len = function() return "long" end}))

-- bitwise metamethods
local B = {}
local function bits(n) return setmetatable({n = n}, B) end
local function val(x) return type(x) == "table" and x.n or x end
B.__band = function(a, b) return bits(val(a) & val(b)) end
B.__bor = function(a, b) return bits(val(a) | val(b)) end
B.__bxor = function(a, b) return bits(val(a) ~ val(b)) end
B.__shl = function(a, b) return bits(val(a) << val(b)) end
B.__shr = function(a, b) return bits(val(a) >> val(b)) end
B.__bnot = function(a) return bits(~val(a)) end
local b6 = bits(6)
print((b6 & 3).n, (b6 | 1).n, (b6 ~ 5).n, (b6 << 2).n, (b6 >> 1).n, (~b6).n, (12 & b6).n)
-- the metamethod fires because one operand is a table; it then fails on 1.5 & 6
print(pcall(function() return 1.5 & b6 end))

-- which operand's metamethod is used: the first one that has it
local L = setmetatable({}, {__add = function() return "left" end})
local R = setmetatable({}, {__add = function() return "right" end})
print(L + R, R + L, L + 1, 1 + R)

-- metamethods for strings: number-like strings use coercion via string metatable
print("10" + 5, "3" * "4", -"2", "10" // "3", "2" ^ 2)
-- missing metamethod errors
print(pcall(function() return vec(1, 1) & 1 end))
print(pcall(function() return {} .. "x" end))
print(pcall(function() local t = setmetatable({}, {}); return -t end))
print(pcall(function() return #nil end))
print(pcall(function() local n = nil; return #n end))

-- __concat with numbers on both sides of a table
local C = setmetatable({}, {__concat = function(a, b)
  local function s(x) return type(x) == "table" and "C" or tostring(x) end
  return s(a) .. s(b)
end})
print(1 .. C, C .. 2.5, C .. C, "x" .. 1 .. C)

-- __eq not used for arithmetic; __add returning multiple values keeps only first
local M = setmetatable({}, {__add = function() return 1, 2, 3 end})
print(M + M)
-- metamethods set after creation take effect
local late = setmetatable({}, {})
getmetatable(late).__sub = function() return "late sub" end
print(late - 1)
print("done")
