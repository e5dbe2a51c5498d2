-- integer vs float arithmetic
print(1 + 2, 1 + 2.0, 3 - 1, 3.0 - 1, 2 * 3, 2 * 3.0)
print(7 / 2, 6 / 2, 7 // 2, 7.0 // 2, -7 // 2, -7.0 // 2)
print(7 % 3, -7 % 3, 7 % -3, -7 % -3, 7.5 % 2, -7.5 % 2, 7.5 % -2)
print(2 ^ 10, 2 ^ 0.5, (-8) ^ (1/3) ~= (-8) ^ (1/3), 10 ^ -1)
print(math.type(2 ^ 2), math.type(7 // 2), math.type(7.0 // 2), math.type(6 / 2))
print(-2 ^ 2, (-2) ^ 2, 2 ^ 3 ^ 2)
print(1 // 0.0, -1 // 0.0, 1 / 0, -1 / 0, 0.0 / 1, -0.0 / 1)
print(5 % math.huge, -5 % math.huge, 5 % -math.huge, -5 % -math.huge)
print(math.huge // 1, -math.huge // 1, 5.3 // 0.5)

-- nan: test properties, and how it prints
local nan = 0/0
print(nan ~= nan, nan == nan, nan < 1, nan > 1, nan <= nan)
print(string.format("%.1f", 1/0), math.huge == 1/0, -math.huge == -1/0)
print(tostring(0/0) == tostring(0/0))
print(-(0/0) ~= -(0/0))

-- integer division and modulo by zero
print(pcall(function() return 1 // 0 end))
print(pcall(function() return 1 % 0 end))
print(pcall(function() local z = 0; return 10 // z end))
print(1 % 0.0 ~= 1 % 0.0, 1.0 // 0)

-- wraparound
print(math.maxinteger + 1 == math.mininteger, math.mininteger - 1 == math.maxinteger)
print(math.maxinteger * 2, math.mininteger * -1, -math.mininteger)
print(math.mininteger // -1, math.mininteger % -1)
print(math.maxinteger + 1.0, math.maxinteger + 0.0 == 2^63)
print(math.maxinteger // 1, math.maxinteger // 1.0)
print(1 << 63, (1 << 63) - 1, 1 << 64, 1 >> 1)

-- negative operands for // and %
for _, p in ipairs({{7, 3}, {-7, 3}, {7, -3}, {-7, -3}, {6, -3}, {-6, 3}, {0, -5}}) do
  local a, b = p[1], p[2]
  print(a, b, a // b, a % b, a / b, (a + 0.0) // b, (a + 0.0) % b)
end

-- conversions between int and float
print(3 | 0, 3.0 | 0, 2^31 | 0, math.tointeger(3.0), math.tointeger(3.5))
print(1 == 1.0, math.type(1) == math.type(1.0), 0.1 + 0.2 == 0.3, 0.1 + 0.2)
print(2^53 == 2^53 + 1, math.maxinteger == math.maxinteger + 0.0)
print(math.maxinteger < math.maxinteger + 0.0, math.maxinteger + 0.0 == 2^63)
print(-0.0 == 0.0, 1/-0.0, 1/0.0, 0.0 == -0)
print(3 // 0.0, -3 % math.huge, 3 % -math.huge)

-- precedence
print(2 + 3 * 4, (2 + 3) * 4, 2 * 3 % 4, -3 ^ 2, not nil == true)
print(1 .. 2 == "12", "a" .. "b" .. "c" == "abc", 2 ^ -2)
print(1 < 2 == true, "x" .. 1 + 2)
print(5 // 2 * 2 + 5 % 2, 10 - 2 - 3, 2 ^ 2 ^ 3, 256 >> 2 >> 1)
print("done")
