-- string.byte, char, rep, sub, upper, lower, len, reverse
local s = "Hello, World"
print(string.byte(s), string.byte(s, 2), string.byte(s, -1), string.byte(s, 100))
print(string.byte(s, 1, 5))
print(string.byte(s, -3, -1))
print(string.byte(s, 5, 2), select('#', string.byte(s, 5, 2)))
print(string.byte(""), select('#', string.byte("")))
print(string.byte("\0\1\255", 1, 3))
print(string.char(), string.char(72, 105), #string.char(0, 0), string.char(255):byte())
print(string.char(string.byte("round trip", 1, -1)))

print(string.rep("ab", 3), string.rep("ab", 3, "-"), string.rep("x", 0), string.rep("x", -5))
print(string.rep("", 100) == "", string.rep("a", 1, "SEP"), string.rep("ab", 2, ""))
print(#string.rep("abc", 1000, ", "))

-- sub with all index combinations
local t = "abcdef"
print(t:sub(1, 3), t:sub(3), t:sub(-2), t:sub(-3, -2), t:sub(2, -2))
print(t:sub(0), t:sub(-100), t:sub(4, 2) == "", t:sub(7) == "", t:sub(-100, 2))
print(t:sub(3, 3), t:sub(6, 100), t:sub(math.mininteger, math.maxinteger), t:sub(2.0, 3))
print(pcall(string.sub, t, 2.5))
print(pcall(string.sub, t, "2", "3"))

print(("MiXeD 123 !"):upper(), ("MiXeD 123 !"):lower(), ("ÄB"):lower() == "Äb")
print(string.len(""), string.len("\0\0\0"), #"abc\0def", ("x"):len())
print(string.reverse("abc"), string.reverse(""), string.reverse("a\0b"):byte(1, -1))

-- strings are immutable values
local orig = "value"
local up = orig:upper()
print(orig, up)
-- numbers are accepted where strings are expected
print(string.len(12345), string.rep(1, 3), string.upper(1.5), string.sub(123456, 2, 4))
print(string.byte(65), ("x"):rep(2.0))
print(pcall(string.rep, "x", 2.5))
print(pcall(string.upper, nil))
print(pcall(string.len, {}))

-- embedded zeros
local z = "a\0b\0c"
print(#z, z:byte(2), z:sub(3, 3), z:upper():byte(1, -1))
print(("%s"):format(z) == z, z == "a\0b\0c", z < "a\0c")

-- concatenation of many strings
local parts = {}
for i = 1, 100 do parts[i] = string.char(65 + (i - 1) % 26) end
local joined = table.concat(parts)
print(#joined, joined:sub(1, 30))
local cat = ""
for i = 1, 50 do cat = cat .. i % 10 end
print(cat)

-- string.len vs # on strings with multibyte chars
local u = "héllo"
print(#u, string.len(u), u:upper())
-- string library functions via the string table and method syntax agree
print(string.upper("q") == ("q"):upper(), string.format == ("").format)
print("done")
