-- string.format conversions
local f = string.format
print(f("%d %i", 42, -42), f("%5d|%-5d|%05d", 42, 42, 42), f("%+d % d", 5, 5))
print(f("%d", 3.0), f("%d", "10"), f("%.3d", 7), f("%x %X %o", 255, 255, 8))
print(f("%#x %#X %#o", 255, 255, 8), f("%08.3f", 3.14159), f("%x", -1))
print(f("%d %d", math.maxinteger, math.mininteger))
print(f("%c%c%c", 76, 117, 97), #f("%c", 0), f("%5c|%-5c|", 65, 66))
print(f("%e", 12345.6789), f("%E", 0.000123), f("%.2e", 1), f("%10.3e|", -5.5))
print(f("%f", 1/3), f("%.0f", 2.5), f("%.0f", 3.5), f("%.10f", 0.1), f("%f", 1e15))
print(f("%g", 100000), f("%g", 1000000), f("%g", 1e-4), f("%g", 1e-5), f("%G", 1e-10), f("%g", 0.5))
print(f("%.3g", math.pi), f("%10.4f|", math.pi), f("%-10.2f|", -math.pi), f("%+.1f", 2))
print(f("%#g", 1.0), f("%#.0f", 1), f("%.14g", 2^63), f("%.0e", 12345))
print(f("%f %f %f", 1/0, -1/0, 3), f("%.1f", -0.0), f("%g", -0.0), f("%5.1f|", 1/0))
print(f("%a", 1.0), f("%A", 0.5), f("%a", 255.5), f("%.3a", math.pi), f("%a", 0.0))
print(f("%s|%10s|%-10s|", "x", "right", "left"), f("%.3s", "truncate"), f("%5.2s|", "abc"))
print(f("%s %s %s %s", nil, true, 12, 1.5), f("%s", setmetatable({}, {__tostring = function() return "TS" end})))
print(f("%%"), f("100%% sure"), f("no conversions"), f("%s", ""))
print(f("%5s", "toolongvalue"), f("%-3d|", 12345))

-- %q
print(f("%q", "plain"))
print(f("%q", 'quote " and \\ backslash'))
print(f("%q", "new\nline"))
print(f("%q", "tab\tand\0zero\1\127"))
print(f("%q", "\r\n\2392"))
print(f("%q", "\0001"))
print(f("%q", 42), f("%q", -7), f("%q", math.mininteger), f("%q", math.maxinteger))
print(f("%q", 1.5), f("%q", 0.1), f("%q", 1e100), f("%q", -0.0), f("%q", 2^63))
print(f("%q", 1/0), f("%q", -1/0), f("%q", 0/0))
print(f("%q", true), f("%q", false), f("%q", nil))
print(pcall(f, "%q", {}))
print(pcall(f, "%10q", "x"))
-- %q output can be loaded back
local weird = "a\0b\r\n\"\\\255\1z"
local back = load("return " .. f("%q", weird))()
print(back == weird, #back)
local nums = {0.1, 1/3, -2.5e-10, 2^53 + 1, math.mininteger, 1e308}
local allsame = true
for _, n in ipairs(nums) do
  local r = load("return " .. f("%q", n))()
  if r ~= n or math.type(r) ~= math.type(n) then allsame = false end
end
print("q roundtrip", allsame)

-- errors
print(pcall(f, "%d", 1.5))
print(pcall(f, "%d", "1.5"))
print(pcall(f, "%d", {}))
print(pcall(f, "%s"))
print(pcall(f, "%y", 1))
print(pcall(f, "%", 1))
print(pcall(f, "%123d", 1))
print(pcall(f, "%.123d", 1))
print(pcall(f, "%-#5x", 1))
print(pcall(f, "%u", 1))
print(pcall(f, "%ld", 1))
print(pcall(f, "%c", "x"))
print(pcall(f, "%x", 1.5))
print(pcall(f))
print(f("%5.1s|", "abc"), f("%.0s|", "abc"), f("%.20s|", "short"))
print(f("%i|%5i|%-5i|%05i", 1, 2, 3, -4))
print(f("%.3x|%5.3o|%#5x", 10, 8, 255))
print(f("%.99f", 1):len(), f("%99d", 1):len())
print(f("%s", 1e15), f("%s", 2^63), f("%d", -0))
print("done")
