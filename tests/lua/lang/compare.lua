-- comparisons between integers, floats and strings
print(1 < 2, 1 < 1.5, 1.5 < 2, 2 <= 2.0, 2.0 >= 2, 3 > 2.9999)
print(1 == 1.0, -0.0 == 0, 1 ~= 1.0, "1" == 1, 1 == "1")
print(math.maxinteger < 2^63, math.maxinteger + 0.0 == 2^63, math.mininteger == -2^63)
print(math.maxinteger - 1 < math.maxinteger + 0.0, 2^53 + 1 > 2^53)
print((2^53 | 0) + 1 > 2^53, (2^53 | 0) + 1 == 2^53)
print(1 < math.huge, math.mininteger > -math.huge, math.maxinteger < math.huge)
local nan = 0/0
print(1 < nan, 1 > nan, nan <= nan, nan >= 1, not (nan < 1))

-- string comparison (byte-wise in the C locale)
print("a" < "b", "a" < "ab", "" < "a", "Z" < "a", "abc" < "abd", "abc" <= "abc")
print("10" < "9", "a\0b" < "a\0c", "a\0" > "a", "\255" > "a")
print("b" > "a", "B" >= "B", "aa" > "a")

-- mixed comparisons are errors
print(pcall(function() return 1 < "2" end))
print(pcall(function() return "1" <= 2 end))
print(pcall(function() return {} < {} end))
print(pcall(function() return nil > 1 end))
print(pcall(function() return true <= false end))
print(pcall(function() local x; return 5 >= x end))

-- equality never errors
print({} == {}, "x" == nil, nil == false, print == print)
local t = {}
print(t == t, rawequal(t, t), rawequal(t, {}), rawequal(1, 1.0), rawequal("a", "a"))

-- logical operators
print(nil or 1, false or nil, 1 and 2, nil and 1, false and nil, 0 and "zero")
print(not nil, not 0, not "", not not nil, 1 or error("not evaluated"))
print(nil and error("not evaluated"), false == false, "" and "empty is true")

-- bitwise
print(5 & 3, 5 | 3, 5 ~ 3, ~5, ~0, 1 << 4, 256 >> 4)
print(-1 >> 1, -1 >> 63, -1 >> 64, 1 << 63, 1 << 64, 1 << -1, 2 >> -1)
print(0xF0 & 0x3C, 0xF0 | 0x0F, 0xFF ~ 0x0F, ~math.mininteger, ~math.maxinteger)
print(3.0 & 1, 2^62 | 0, "done?" and 1.0 << 2)
print(pcall(function() return 1.5 & 1 end))
print(pcall(function() return 2^63 | 0 end))
print(pcall(function() return 1 | math.huge end))
print(pcall(function() local x = 0/0; return x >> 1 end))
print(pcall(function() return {} ~ 1 end))
print(pcall(function() local s = "abc"; return ~s end))
print(pcall(function() return nil & 1 end))
print(math.ult(1, -1), math.ult(-1, 1), math.ult(0, 0))
-- sorting strings uses the same byte order as <
local words = {"b", "B", "a", "A", "_", "0", "ab", "a\0", "", "~"}
table.sort(words)
local shown = {}
for i, w in ipairs(words) do shown[i] = (w:gsub("%z", "\\0")) end
print(table.concat(shown, ","))
-- comparison results are booleans
print(type(1 < 2), 1 < 2 == true, (1 == 1) == (2 == 2), not (1 ~= 1))
-- integer/float comparisons near the limits of exact representation
print(2^53 == (2^53 | 0), 2^53 + 1 == (2^53 | 0) + 1, (2^53 | 0) + 1 > 2^53, -(2^63) <= math.mininteger)
print(math.mininteger < -2^63 + 1025, math.maxinteger > 2^63 - 1025, math.maxinteger >= 2^62)
print("done")
