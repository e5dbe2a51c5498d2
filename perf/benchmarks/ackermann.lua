-- ackermann: deep and very numerous calls of small functions.
-- Exercises: recursion depth (ack(3,n) goes ~2^(n+3) frames deep), non-tail and tail calls,
-- multiple arguments (Takeuchi's tak), and mutually recursive functions.
local SIZE = 45                               -- rounds of the three kernels
local scale = tonumber(arg and arg[1]) or 1
local rounds = math.max(1, math.floor(SIZE * scale + 0.5))

local function ack(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ack(m - 1, 1) end
  return ack(m - 1, ack(m, n - 1))
end

local function tak(x, y, z)
  if y >= x then return z end
  return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))
end

local is_odd
local function is_even(n) if n == 0 then return true end return is_odd(n - 1) end
function is_odd(n) if n == 0 then return false end return is_even(n - 1) end

local sum = 0
for r = 1, rounds do
  sum = sum + ack(2, 200 + r) + ack(3, 6 + (r % 2))
  sum = sum + tak(18, 12, 6)
  local evens = 0
  for k = 1, 300 do if is_even(k + r) then evens = evens + 1 end end
  sum = sum + evens
end
print(string.format("ackermann: rounds=%d sum=%d", rounds, sum))
