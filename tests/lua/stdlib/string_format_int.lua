-- string.format: literal runs copied whole, integer conversions in every radix and flag
local vals = {0, 1, -1, 7, 8, 15, 16, 255, 4096, 123456789, -123456789, math.maxinteger, math.mininteger, 3.0}
local specs = {"%d", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%x", "%X", "%#x", "%#X", "%08x", "%o", "%#o", "%.0o", "%#.0o", "%i", "%u", "%.0d", "%.0x", "%20.10X"}
for _, s in ipairs(specs) do
  local row = {}
  for _, v in ipairs(vals) do row[#row+1] = string.format(s, v) end
  print(s, table.concat(row, ","))
end
print(string.format("abc%%def%%", 1), string.format("%%"), string.format("no specs here"), string.format(""), string.format("x%sy%sz", "A", "B"))
print(string.format("a\0b%dc\0", 5))
print(pcall(string.format, "%"), pcall(string.format, "%d"), pcall(string.format, "abc %y", 1))
print(pcall(string.format, "%123d", 1), pcall(string.format, "%1.2.3d", 1), pcall(string.format, "% -+#012.12d", 1))
