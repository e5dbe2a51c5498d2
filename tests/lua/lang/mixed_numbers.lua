-- Arithmetic and comparisons at sites that first saw floats, and floats mixed with integers:
-- compiled from that feedback (adaptive mode), every combination of operand types must still
-- give lua5.4's result, including integer results of integer operands and exact comparisons
-- of integers a double cannot hold.
local function sub(a, b) return a - b end
local function add(a, b) return a + b end
local function mul(a, b) return a * b end
local function div(a, b) return a / b end
local function lt(a, b) if a < b then return "lt" else return "ge" end end
local function le(a, b) return a <= b end

-- Warm-up: floats, and an integer with a float, never two integers.
local acc = 0.0
for i = 1, 200 do
  local x = i + 0.5
  acc = acc + sub(x, 0.25) + sub(i, 0.5) + sub(0.5, i)
  acc = acc + add(x, 1.5) + add(i, 0.5) + mul(x, 2.0) + mul(i, 0.5) + div(x, 4.0) + div(i, 0.5)
  if lt(x, i) == "lt" then acc = acc + 1 end
  if lt(i, x) == "lt" then acc = acc + 1 end
  if le(x, 2.5) then acc = acc + 1 end
  if le(i, x) then acc = acc + 1 end
end
print("warm-up", acc)

local function show(v) return string.format("%s:%s", tostring(v), math.type(v)) end
print("sub", show(sub(3, 2)), show(sub(3, 0.5)), show(sub(0.5, 3)), show(sub(2.5, 0.5)), show(sub(math.mininteger, 1)))
print("add", show(add(1, 2)), show(add(1, 2.5)), show(add(2.5, 1)), show(add(math.maxinteger, 1)))
print("mul", show(mul(6, 7)), show(mul(6, 0.5)), show(mul(0.5, 6)), show(mul(1 << 62, 4)))
print("div", show(div(7, 2)), show(div(7, 0.5)), show(div(0.5, 2)), show(div(1, 0)))
print("lt", lt(1, 1.5), lt(2, 1.5), lt(1.5, 2), lt(1.5, 1), lt(1, 2), lt(2, 1), lt(1.5, 1.5))
print("le", le(1, 1.0), le(2, 1.5), le(1.5, 2), le(1.0, 1), le(3, 3), le(4, 3))
-- 2^53 + 1 has no double: it is greater than the float 2^53, not equal to it.
local big = 9007199254740993
print("exact", le(big, 2^53), lt(2^53, big), le(2^53, big), lt(big, 2^53), le(-big, -2^53), lt(-big, -2^53))
-- Strings and tables still reach the general rules (coercion, metamethods, errors).
print("coerce", show(sub("10", 0.5)), show(add(1, "2")), lt("a", "b"))
local mt = { __sub = function() return "meta-sub" end, __lt = function() return true end }
local obj = setmetatable({}, mt)
print("meta", sub(obj, 1.5), lt(obj, obj))
print("error", pcall(sub, {}, 1.5))
