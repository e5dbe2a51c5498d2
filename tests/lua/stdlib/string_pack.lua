-- string.pack, string.unpack, string.packsize
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
print(hex(string.pack("<i4", 1)), hex(string.pack(">i4", 1)), hex(string.pack("=i2", 0x0102) ~= "" and string.pack("<i2", 0x0102)))
print(hex(string.pack("<i1i2i3i4", -1, -2, -3, -4)))
print(hex(string.pack("<I1I2I3", 255, 65535, 0xabcdef)))
print(hex(string.pack(">i8", math.mininteger)), hex(string.pack("<j", -1)), hex(string.pack(">J", 1)))
print(hex(string.pack("<b B h H", -128, 255, -32768, 65535)))
print(hex(string.pack("<i16", -2)), hex(string.pack(">I16", 1)))
print(string.unpack("<i4", string.pack("<i4", -123456)))
print(string.unpack(">I2", "\1\2"), string.unpack("<I2", "\1\2"))
print(string.unpack("<i3", "\255\255\255"), string.unpack("<I3", "\255\255\255"))
print(string.unpack("<i16", string.pack("<i16", math.mininteger)))
print(string.unpack("b", "\200"), string.unpack("B", "\200"))

-- floats
print(hex(string.pack("<f", 1.5)), hex(string.pack(">d", -2.0)), hex(string.pack("<n", 0.1)))
print(string.unpack("<f", string.pack("<f", 0.1)) == 0.1, string.unpack("<d", string.pack("<d", 0.1)) == 0.1)
print(string.unpack("<d", string.pack("<d", 1/0)), string.unpack(">f", string.pack(">f", -1/0)))
print(string.unpack("<f", string.pack("<f", 3)))
print(math.type((string.unpack("<d", string.pack("<d", 3)))))

-- strings
print(hex(string.pack("z", "abc")), hex(string.pack("s1", "abc")), hex(string.pack("<s4", "hi")))
print(hex(string.pack("c5", "ab")), string.unpack("c3", "xyzw"))
print(string.unpack("z", "hello\0rest"), string.unpack("s1", "\3abcdef"))
print(string.unpack("<s4", string.pack("<s4", "len-prefixed")))
print(string.unpack("zz", "a\0bc\0"))

-- mixed records and positions
local rec = string.pack("<i4 z d B", 7, "name", 2.5, 200)
print(#rec, string.unpack("<i4 z d B", rec))
print(string.unpack("<i4", rec, 1), string.unpack("B", rec, #rec))
print(string.unpack("<i2", "\1\0\2\0", -2))
print(string.unpack("", "abc"), string.unpack("", "abc", 4))

-- alignment with !
print(string.packsize("<i1 i8"), string.packsize("<!8 i1 i8"), string.packsize("<!4 i1 i8"), string.packsize("!2 i1 i2 i1"))
print(hex(string.pack("<!4 i1 i4", 1, 2)), hex(string.pack("<!8 b Xi8 b", 1, 2)))
print(hex(string.pack("<i1 x i1", 1, 2)), string.packsize("i1 x x i1"))
print(string.packsize("i4 i8 d f h b"), string.packsize("c10"), string.packsize("!1i1i8"))
print(string.unpack("<!4 i1 i4", string.pack("<!4 i1 i4", 9, 99)))

-- errors
print(pcall(string.pack, "i1", 200))
print(pcall(string.pack, "I1", -1))
print(pcall(string.pack, "i17", 1))
print(pcall(string.pack, "i0", 1))
print(pcall(string.pack, "z", "a\0b"))
print(pcall(string.pack, "s1", string.rep("x", 256)))
print(pcall(string.pack, "c2", "abc"))
print(pcall(string.pack, "i4"))
print(pcall(string.pack, "y", 1))
print(pcall(string.unpack, "i4", "ab"))
print(pcall(string.unpack, "z", "no terminator"))
print(pcall(string.unpack, "i4", "abcd", 10))
print(pcall(string.packsize, "s"))
print(pcall(string.packsize, "z"))
print(pcall(string.pack, "!3 i4", 1))
print(pcall(string.unpack, ">i9", "\0\0\0\0\0\0\0\0\1"))
print(pcall(string.unpack, ">i9", "\1\0\0\0\0\0\0\0\1"))
print(pcall(string.pack, "d", "x"))
print(pcall(string.pack, "i4", 1.5))
print(string.pack("i4", "12") == string.pack("i4", 12), string.pack("d", 1) == string.pack("d", 1.0))
print("done")
