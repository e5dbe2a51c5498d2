-- utf8 library
print(utf8.char(72, 228, 8364, 128512), #utf8.char(0x7F), #utf8.char(0x80), #utf8.char(0x7FF), #utf8.char(0x800))
print(#utf8.char(0xFFFF), #utf8.char(0x10000), #utf8.char(0x10FFFF), #utf8.char(0x7FFFFFFF), utf8.char())
print(utf8.charpattern == "[\0-\x7F\xC2-\xFD][\x80-\xBF]*")
local s = "häll€ 😀!"
print(#s, utf8.len(s), utf8.len(""), utf8.len("abc"))
print(utf8.codepoint(s, 1, -1))
print(utf8.codepoint(s), utf8.codepoint(s, 2), utf8.codepoint(s, -1))
print(utf8.len(s, 3), utf8.len(s, -5), utf8.len(s, 1, 2), utf8.len(s, 4, 3))

-- invalid sequences: len returns nil (fail) and the position
print(utf8.len("abc\xffdef"))
print(utf8.len("\xe4"), utf8.len("ok\xC0\x80"), utf8.len("\xed\xa0\x80"))
print(utf8.len("\xed\xa0\x80", 1, -1, true), utf8.len("\xF4\x90\x80\x80"), utf8.len("\xF4\x90\x80\x80", 1, -1, true))
print(pcall(utf8.codepoint, "\xff"))
print(pcall(utf8.len, "abc", 5))
print(pcall(utf8.codepoint, "abc", 4))
print(utf8.codepoint("abc", 4, 3))

-- offset
print(utf8.offset(s, 1), utf8.offset(s, 2), utf8.offset(s, 3), utf8.offset(s, 6), utf8.offset(s, 7))
print(utf8.offset(s, -1), utf8.offset(s, -2), utf8.offset(s, 0, 3), utf8.offset(s, 0, 2))
print(utf8.offset(s, 10), utf8.offset(s, 11), utf8.offset(s, -10), utf8.offset("", 1), utf8.offset("", -1))
print(pcall(utf8.offset, s, 1, 3))
print(pcall(utf8.offset, s, 1, 100))

-- codes
for p, c in utf8.codes("aé€😀") do io.write(p, ":", c, " ") end
print()
print(pcall(function() for p, c in utf8.codes("a\xffb") do end end))
print(pcall(function() for p, c in utf8.codes("\xed\xa0\x80") do end end))
for p, c in utf8.codes("\xed\xa0\x80", true) do io.write(p, ":", c, " ") end
print()
local n = 0
for _, c in utf8.codes("") do n = n + 1 end
print("empty codes", n)

-- charpattern iteration
local chars = {}
for ch in s:gmatch(utf8.charpattern) do chars[#chars + 1] = ch end
print(#chars, chars[2], chars[5], chars[7])

-- char and codepoint round trip
local cps = {}
for _, cp in ipairs({0, 0x41, 0x3B1, 0x4E2D, 0x1F600, 0x10FFFF}) do
  local ch = utf8.char(cp)
  cps[#cps + 1] = string.format("%X:%d:%s", cp, #ch, tostring(utf8.codepoint(ch) == cp))
end
print(table.concat(cps, " "))
print(pcall(utf8.char, 0x80000000))
print(pcall(utf8.char, -1))
print(pcall(utf8.char, "x"))
print(utf8.char(65, "66", 67.0))
-- lax mode accepts surrogates and large code points
print(utf8.codepoint(utf8.char(0xD800), 1, 1, true), utf8.len(utf8.char(0x7FFFFFFF), 1, -1, true))
print(pcall(utf8.codepoint, utf8.char(0xD800)))
-- string escapes produce the same bytes
print("\u{20AC}" == utf8.char(0x20AC), "\u{1F600}" == utf8.char(128512))
print("done")
