-- string and numeric literals
print("a\tb", "c\\d", "e\"f", 'g\'h')
print(#"\a\b\f\n\r\t\v\\\"\'")
print(string.byte("\a\b\f\n\r\t\v", 1, -1))
print("\65\066\0677", #"\0", string.byte("\0"))
print("\x41\x62\x7A", "\x7e")
print("\u{48}\u{49}", #"\u{7FF}", #"\u{FFFF}", #"\u{10FFFF}", #"\u{7FFFFFFF}")
print(string.byte("\u{E9}", 1, -1))
print("abc\z
       def\z   ghi")
print("line1\
line2")
print([[long
string]])
print([==[with ]] inside ]=] too]==])
print([[
first newline skipped]])
print(#[[

x]])
print("\104\101\108\108\111")
print('\'' .. "\"")
print("tab:\9:", "255:" .. string.byte("\255"))

-- integers
print(0, 1, -1, 123456789012)
print(0x10, 0xff, 0XFF, 0xA, 0xa)
print(9223372036854775807, math.maxinteger == 9223372036854775807)
print(9223372036854775808)       -- too big: becomes a float
print(-9223372036854775808)      -- float negated
print(math.mininteger)
print(0xffffffffffffffff, 0x7fffffffffffffff, 0x8000000000000000)
print(0x10000000000000000)       -- wraps around to 0
print(0x1ffffffffffffffff)
print(math.type(0xffffffffffffffff), math.type(9223372036854775808))

-- floats
print(1.0, 1., .5, 3e2, 3E-2, 1e+2, 0.0, -0.0)
print(0x1p4, 0x.8, 0xA.8p1, 0x1P-2, 0xffp0)
print(0x.1, 0x1.8, 0x1p-1074 > 0)
print(1e308 * 10, -1e308 * 10)
print(math.type(1), math.type(1.0), math.type(1e2), math.type(0x10), math.type(0x1p4))
print(2^53, 2^63, 2^-1)
print(1e15, 1e16, 123456789012345678)
print(12345678901234567890)

-- strings that look like numbers stay strings
print(type("10"), "10" + 0, "0x10" + 0, "1e2" + 0, " 5 " * 2)

-- comments
--[[ block
comment ]] print("after block comment")
--[==[ another
]] still comment ]==] print("after level-2 comment")
print("done")
