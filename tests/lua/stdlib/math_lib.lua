-- math library
print(math.floor(3.7), math.floor(-3.7), math.floor(5), math.ceil(3.2), math.ceil(-3.2), math.ceil(7))
print(math.type(math.floor(3.7)), math.type(math.ceil(1e100)), math.floor(1e100), math.floor(-0.0))
print(math.floor(2^62) == 2^62, math.type(math.floor(2^62)), math.floor(math.huge), math.ceil(-math.huge))
print(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3), math.fmod(7.5, 2), math.fmod(-7.5, 2))
print(math.fmod(math.mininteger, -1), math.fmod(5, math.huge), math.fmod(1, 0.0) ~= math.fmod(1, 0.0))
print(pcall(math.fmod, 1, 0))
print(pcall(math.fmod, 1))
print(pcall(math.fmod, "x", "y"))   -- both wrong: lua5.4 names the second
print(pcall(math.fmod, "x", 5.5), pcall(math.fmod, 5, {}))
for _, v in ipairs({3.7, -3.7, 5, 5.0, math.huge, -math.huge, 0.0, -0.0, 1e100, -2.5}) do
  local ip, fp = math.modf(v)
  io.write(tostring(ip), "/", math.type(ip), "/", tostring(fp), " ")
end
print()
print(math.huge, -math.huge, math.pi, math.maxinteger, math.mininteger)
print(math.tointeger(3.0), math.tointeger(3.5), math.tointeger(-0.0), math.tointeger(2^63), math.tointeger(-2^63))
print(math.tointeger({}), math.tointeger(7), math.tointeger("x"))
print(math.type(1), math.type(1.0), math.type("1"), math.type(nil), math.type({}))
print(pcall(math.type))
print(math.ult(1, 2), math.ult(-1, 2), math.ult(2, -1), math.ult(math.maxinteger, math.mininteger))
print(math.abs(-5), math.abs(5.5), math.abs(-0.0), math.abs(math.mininteger), math.abs(-math.huge))
print(math.max(1, 2.5, -3), math.max(3, 3.0), math.max(3.0, 3), math.min(1, 2.5, -3), math.min(-0.0, 0.0))
print(math.max(5), math.min(math.huge, math.maxinteger), math.type(math.max(1, 2)), math.type(math.max(1, 2.0)))
print(pcall(math.max))
print(pcall(math.min, 1, "x"))
print(pcall(math.max, "10", 9))
print(math.sqrt(16), math.sqrt(2), math.sqrt(-1) ~= math.sqrt(-1), math.sqrt(math.huge))
print(math.exp(0), math.exp(1), math.log(1), math.log(math.exp(2)))
print(math.log(8, 2), math.log(100, 10), math.log(1000, 10), math.log(27, 3), math.log(0), math.log(-1) ~= math.log(-1))
print(math.log(2, 4), math.log(1024, 2), math.log(5, 5))
print(math.sin(0), math.cos(0), math.tan(0), math.asin(1), math.acos(1), math.atan(1))
print(math.atan(1, 1), math.atan(1, -1), math.atan(-1, -1), math.atan(0, -1), math.atan(-0.0, -1))
print(string.format("%.6f %.6f", math.sin(math.pi / 6), math.cos(math.pi / 3)))
print(math.deg(math.pi), math.rad(180), math.deg(1))
print(math.floor(-7 / 2), -7 // 2, math.floor(7 / 2))
print(3 % math.huge, -3 % math.huge, 3 % -math.huge, 0 % math.huge)
-- integer/float results of operations
print(math.type(2^2), math.type(4 // 2), math.type(4 / 2), math.type(math.abs(-2)), math.type(math.abs(-2.0)))
print(math.floor(3), math.ceil(3), math.floor(-3.0), math.ceil(-3.5))
print(math.floor("3.7"), math.ceil("3.2"), pcall(math.floor, "x"))
-- large values
print(math.floor(2^53 + 0.0), math.ceil(-2^63), pcall(math.floor, 2^63) )
print(math.floor(9.2233720368547e18), math.tointeger(9.2233720368547e18))
print(math.maxinteger // -1, math.mininteger // 1, math.maxinteger % -2, math.mininteger % 3)
print(8 // 3, 8.0 // 3, -8 // 3, 8 % -3, -8 % 3, 8.5 % -3)
-- functions accept numeric strings
print(math.sqrt("16"), math.abs("-3"), math.max(1, "7" + 0), math.floor("2.5e1"))
-- rounding helpers built from floor/ceil
local function round(x) return x >= 0 and math.floor(x + 0.5) or math.ceil(x - 0.5) end
print(round(2.5), round(-2.5), round(2.4999), round(-0.4), math.type(round(1.2)))
-- integer square root by Newton's method compared with math.sqrt
local function isqrt(n) local x = n; local y = (x + 1) // 2; while y < x do x = y; y = (x + n // x) // 2 end return x end
print(isqrt(10^6 // 1), isqrt(99), isqrt(2^52 // 1), math.floor(math.sqrt(99)))
-- gcd / lcm with integer ops
local function gcd(p, q) while q ~= 0 do p, q = q, p % q end return p end
print(gcd(48, 18), gcd(17, 5), gcd(0, 9), 48 * 18 // gcd(48, 18))
print("done")
