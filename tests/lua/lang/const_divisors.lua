-- Integer floor division and modulo by constant divisors (powers of two and others), on
-- negative and positive dividends and at the ends of the integer range. Each function runs
-- in a loop so that it is compiled with integer feedback.
local function mods(x)
  return x % 1, x % 2, x % 8, x % 256, x % 3, x % 7, x % 10, x % 65537, x % 4096
end

local function divs(x)
  return x // 1, x // 2, x // 8, x // 256, x // 3, x // 7, x // 10, x // 65537, x // 4096
end

local values = { 0, 1, -1, 2, -2, 3, -3, 7, -7, 8, -8, 9, -9, 255, -255, 256, -256, 257, -257,
                 65536, -65536, 65537, -65537, 123456789, -123456789,
                 math.maxinteger, math.mininteger, math.maxinteger - 1, math.mininteger + 1 }

-- Warm up on many integers first (the checksum is printed, so the loop cannot be skipped).
local sum = 0
for i = -3000, 3000 do
  local a, b, c, d, e, f, g, h, k = mods(i * 37)
  local p, q, r, s, t, u, v, w, z = divs(i * 37)
  sum = sum + a + b + c + d + e + f + g + h + k + p + q + r + s + t + u + v + w + z
end
print("checksum", sum)

for _, x in ipairs(values) do
  print(x, "mod", mods(x))
  print(x, "div", divs(x))
end

-- Floats keep float semantics at the same sites.
print(mods(-7.5))
print(divs(-7.5))
print(mods(2^53))
