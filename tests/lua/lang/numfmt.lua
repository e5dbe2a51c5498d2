-- how numbers print (%.14g for floats, ".0" suffix for integral floats)
print(1e15, 1e14, 1e100, 1e-5, 1e-4, 0.1, 1/3, 2/3, -1/3)
print(-0.0, 0.0, 2^53, 2^63, -2^63, 2^64, math.pi, -math.pi)
print(100.0, 100, 1e2, 123.456, 1234567890123.0, 12345678901234.0, 123456789012345.0)
print(3.14159265358979, 0.1 + 0.7, 1e300 * 1e10, 5e-324, 2.5e-310)
print(255 / 5, 7.0, -7.0, 1e0, 2^0, 10 // 3.0)
print(math.huge, -math.huge)
print(0/0, -(0/0))              -- reference prints "-nan" and "nan" on x86-64
print(tostring(1e15), tostring(-1e15), tostring(1e16))
print(tostring(12), tostring(12.0), tostring(-0.0), tostring(1e-10))
print(string.format("%.14g", 0.1), string.format("%.17g", 0.1))
print(8 | 0, 2^31, 2^31 | 0, 1e15 | 0)

-- concat coercion
print(1 .. "", 1.0 .. "", -0.0 .. "", 1e100 .. "", 2^63 .. "", 10 // 1 .. "x")
print("n=" .. 42, "f=" .. 4.5, 1 .. 2)

-- string -> number coercion in arithmetic
print("10" + 1, "10" + 1.5, "3" * "4", "2" ^ "3", "7" // "2", "7.0" // "2", "-7" % "3")
print("0x10" + 0, "1e1" + 0, " 12 " + 0, "12." + 0, ".5" + 0)
print(math.type("10" + 0), math.type("10.0" + 0), math.type("1e1" + 0))
print(-"2", -"2.0", -" 0x10 ")
print(pcall(function() return "abc" + 1 end))
print(pcall(function() return {} + 1 end))
print(pcall(function() return "10" | 1 end))
print(pcall(function() return "1.5" | 1 end))
print(pcall(function() return "x" .. {} end))

-- tonumber
print(tonumber("10"), tonumber("10.0"), tonumber("  10  "), tonumber("1e1"), tonumber("0x10"))
print(tonumber("0x1p4"), tonumber("0X.8"), tonumber(".5"), tonumber("5."), tonumber("-0x10"))
print(tonumber(""), tonumber(" "), tonumber("1 2"), tonumber("abc"), tonumber("1e"), tonumber("0x"))
print(tonumber("10", 2), tonumber("ff", 16), tonumber("FF", 16), tonumber("z", 36), tonumber("Z", 36))
print(tonumber("777", 8), tonumber("8", 8), tonumber("  11  ", 2), tonumber("-11", 2), tonumber("1.5", 10))
print(tonumber("zz", 36), tonumber("10", 36), tonumber("7fffffffffffffff", 16), tonumber("ffffffffffffffff", 16))
print(tonumber(10), tonumber(1.5), tonumber(nil), tonumber({}), tonumber(true))
print(tonumber("9223372036854775807"), tonumber("9223372036854775808"), tonumber("-9223372036854775808"))
print(tonumber("1e500"), tonumber("-1e500"), tonumber("inf"), tonumber("nan"))
print(tonumber("0x7fffffffffffffff"), tonumber("0xffffffffffffffff"), tonumber("0x10000000000000001"))
print(tonumber("1" .. string.rep("0", 30)))
print(pcall(tonumber, "10", 1))
print(pcall(tonumber, "10", 37))
print(pcall(tonumber, 10, 16))
print(pcall(tonumber))
print(math.type(tonumber("10")), math.type(tonumber("10.")), math.type(tonumber("1e2")))

-- tostring / integer-float equality in table keys
local t = {}
t[1.0] = "a"; t[2] = "b"; t[2^53] = "c"
print(t[1], t[2.0], t[2^53 | 0], #t)
for k in pairs({[1.0] = true}) do print(math.type(k)) end
print("done")
